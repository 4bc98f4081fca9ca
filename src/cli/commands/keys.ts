import type { Command } from "commander";
import {
  createApiKeyInput,
  apiKeyIdInput,
  updateApiKeyPermissionsInput,
} from "~/features/api-keys/schemas";
import { updateApiKeyPermissions } from "~/features/api-keys/server/update-api-key-permissions";
import type { ApiKeyView } from "~/features/api-keys/server/api-key-view";
import { KEY_ENDPOINTS } from "~/gateway/key-endpoints";
import { createApiKey } from "~/features/api-keys/server/create-api-key";
import { listApiKeys } from "~/features/api-keys/server/list-api-keys";
import { revokeApiKey } from "~/features/api-keys/server/revoke-api-key";
import { createOrganization } from "~/features/orgs/server/create-organization";
import { findOrganizationBySlug } from "~/features/orgs/server/find-organization-by-slug";
import type { Db } from "~/server/db";
import { CLI_ACTOR } from "~/server/domain/actor";
import { DomainError } from "~/server/domain/domain-error";
import { parseInput } from "../cli-error";
import { cliContext, parseOrgSlug } from "../cli-context";
import { formatDate } from "../output";
import { parseExpires, parseMetadata, parseModels } from "../parse-args";
import { clearKeyLimits } from "~/features/limits/server/clear-key-limits";
import { deleteKeyBudgets } from "~/features/limits/server/delete-key-budgets";
import { getKeyLimits } from "~/features/limits/server/get-key-limits";
import { listKeyBudgets } from "~/features/limits/server/list-key-budgets";
import { setKeyBudget } from "~/features/limits/server/set-key-budget";
import { setKeyLimits } from "~/features/limits/server/set-key-limits";
import type { BudgetView } from "~/features/limits/server/budget-view";
import type { KeyLimitView } from "~/features/limits/server/key-limit-view";
import {
  addLimitFlags,
  budgetLine,
  keyLimitsLine,
  parseBudgetFlags,
  parseKeyLimitFlags,
  type BudgetFlags,
  type KeyLimitsPatch,
  type LimitFlags,
} from "./limit-flags";
import { UsageError } from "../cli-error";

interface CreateKeyOptions extends LimitFlags {
  org: string;
  name: string;
  createOrg?: boolean;
  expires?: string;
  models?: string;
  endpoints?: string;
  metadata?: string[];
}

const ENDPOINTS_HELP = `comma-separated endpoint groups the key may call: ${KEY_ENDPOINTS.join(", ")} (default: all)`;

/** `--endpoints` / `--models` value: a comma list, or `all` to lift the limit. */
function parseList(value: string): string[] | null {
  return value.trim().toLowerCase() === "all" ? null : parseModels(value).filter(Boolean);
}

function permissionsLine(key: ApiKeyView): string {
  return `models: ${key.allowedModels ? key.allowedModels.join(", ") : "all"} · endpoints: ${
    key.allowedEndpoints ? key.allowedEndpoints.join(", ") || "none" : "all"
  }`;
}

/**
 * Applies limit and budget flags to a key inside the caller's transaction (so a refused flag, e.g.
 * an unknown tier, leaves nothing half-done). Returns the key's limits and budgets afterwards.
 */
async function applyLimitFlags(
  db: Db,
  args: {
    orgId: string;
    keyId: string;
    limits: KeyLimitsPatch | null;
    budget: BudgetFlags | null;
    clear?: boolean;
  },
): Promise<{ limits: KeyLimitView; budgets: BudgetView[] }> {
  const { orgId, keyId } = args;
  if (args.clear) {
    await clearKeyLimits(db, { orgId, actor: CLI_ACTOR, input: { keyId } });
    await deleteKeyBudgets(db, { orgId, actor: CLI_ACTOR, keyId });
  }
  const limits = args.limits
    ? await setKeyLimits(db, { orgId, actor: CLI_ACTOR, input: { ...args.limits, keyId } })
    : await getKeyLimits(db, { orgId, keyId });
  if (args.budget) {
    await setKeyBudget(db, { orgId, actor: CLI_ACTOR, input: { ...args.budget, keyId } });
  }
  return { limits, budgets: await listKeyBudgets(db, { orgId, keyId }) };
}

function limitLines(result: { limits: KeyLimitView; budgets: BudgetView[] }): string[] {
  return [
    `limits: ${keyLimitsLine(result.limits)}`,
    `budget: ${result.budgets.length ? result.budgets.map(budgetLine).join("; ") : "none"}`,
  ];
}

export function registerKeyCommands(program: Command): void {
  const keys = program.command("keys").description("API keys of an organization");

  addLimitFlags(
    keys
      .command("create")
      .description("Mint an API key; the secret is printed once, alone on the last line of stdout")
      .requiredOption("--org <slug>", "organization slug")
      .requiredOption("--name <name>", "a name for the key")
      .option("--create-org", "create the organization (named after the slug) if it does not exist")
      .option(
        "--expires <when>",
        "expiry: ISO date (2026-12-31, 2026-12-31T18:00:00Z) or duration (12h, 30d, 2w)",
      )
      .option("--models <list>", "comma-separated models the key may use (default: all)")
      .option("--endpoints <list>", ENDPOINTS_HELP)
      .option("--metadata <key=value...>", "metadata pairs attached to the key"),
  ).action(async (opts: CreateKeyOptions, command: Command) => {
    const { out, withDatabase } = cliContext(command);
    // Everything is validated before the database is touched: a bad flag creates nothing.
    const slug = parseOrgSlug(opts.org);
    const input = parseInput(
      createApiKeyInput,
      {
        name: opts.name,
        expiresAt: opts.expires === undefined ? undefined : parseExpires(opts.expires),
        allowedModels: opts.models === undefined ? undefined : parseModels(opts.models),
        allowedEndpoints: opts.endpoints === undefined ? undefined : parseList(opts.endpoints),
        metadata: opts.metadata === undefined ? undefined : parseMetadata(opts.metadata),
      },
      {
        name: "--name",
        expiresAt: "--expires",
        allowedModels: "--models",
        allowedEndpoints: "--endpoints",
        metadata: "--metadata",
      },
    );
    const limits = parseKeyLimitFlags(opts);
    const budget = parseBudgetFlags(opts);
    const created = await withDatabase((db) =>
      // One transaction: a key that cannot be created leaves no new organization behind.
      db.transaction(async (tx) => {
        const txDb = tx as unknown as Db;
        let orgCreated = false;
        const org = await findOrganizationBySlug(txDb, slug).catch(async (err: unknown) => {
          if (!(opts.createOrg && err instanceof DomainError && err.code === "NOT_FOUND"))
            throw err;
          orgCreated = true;
          return createOrganization(txDb, {
            actor: CLI_ACTOR,
            ownerUserId: null,
            input: { name: slug, slug },
          });
        });
        const { apiKey, secret } = await createApiKey(txDb, {
          orgId: org.id,
          actor: CLI_ACTOR,
          input,
        });
        const applied =
          limits || budget
            ? await applyLimitFlags(txDb, { orgId: org.id, keyId: apiKey.id, limits, budget })
            : null;
        return { org, orgCreated, apiKey, secret, applied };
      }),
    );
    const { org, orgCreated, apiKey, secret, applied } = created;
    if (out.json) {
      return out.result({
        ...apiKey,
        key: secret,
        org: { id: org.id, slug: org.slug, name: org.name },
        orgCreated,
        ...(applied ? { limits: applied.limits, budgets: applied.budgets } : {}),
      });
    }
    if (orgCreated) out.line(`Created organization ${org.slug} (id: ${org.id}).`);
    out.line(`Created API key "${apiKey.name}" (id: ${apiKey.id}) for ${org.slug}.`);
    const details = [
      `expires: ${apiKey.expiresAt ? apiKey.expiresAt.toISOString() : "never"}`,
      permissionsLine(apiKey),
    ];
    if (Object.keys(apiKey.metadata).length > 0) {
      details.push(
        `metadata: ${Object.entries(apiKey.metadata)
          .map(([k, v]) => `${k}=${v}`)
          .join(" ")}`,
      );
    }
    out.line(details.join(" · "));
    if (applied) for (const line of limitLines(applied)) out.line(line);
    out.line("The key is shown only this once; store it now:");
    out.line(secret);
  });

  keys
    .command("list")
    .description("List the keys of an organization (never the secrets)")
    .requiredOption("--org <slug>", "organization slug")
    .action(async (opts: { org: string }, command: Command) => {
      const { out, withDatabase } = cliContext(command);
      const slug = parseOrgSlug(opts.org);
      const rows = await withDatabase(async (db) =>
        listApiKeys(db, { orgId: (await findOrganizationBySlug(db, slug)).id }),
      );
      if (out.json) return out.result(rows);
      if (rows.length === 0)
        return out.line(
          `${slug} has no API keys yet. Create one with: keys create --org ${slug} --name …`,
        );
      out.table(
        ["ID", "NAME", "KEY", "STATUS", "CREATED", "LAST USED", "EXPIRES"],
        rows.map((k) => [
          k.id,
          k.name,
          `${k.prefix}…${k.last4}`,
          k.status,
          formatDate(k.createdAt),
          formatDate(k.lastUsedAt),
          formatDate(k.expiresAt),
        ]),
      );
    });

  addLimitFlags(
    keys
      .command("update")
      .description(
        "Change a key's models, endpoints, rate limits, tier and budget (flags left out keep their value)",
      )
      .requiredOption("--org <slug>", "organization slug")
      .argument("<key-id>", "key id (from `keys list`)")
      .option("--models <list>", "comma-separated models the key may use, or `all`")
      .option("--endpoints <list>", `${ENDPOINTS_HELP}; \`all\` lifts the limit`)
      .option("--clear-limits", "first remove the key's tier, own limits and budgets"),
  ).action(
    async (
      keyId: string,
      opts: LimitFlags & {
        org: string;
        clearLimits?: boolean;
        models?: string;
        endpoints?: string;
      },
      command: Command,
    ) => {
      const { out, withDatabase } = cliContext(command);
      const slug = parseOrgSlug(opts.org);
      const { id } = parseInput(apiKeyIdInput, { id: keyId }, { id: "<key-id>" });
      const permissions =
        opts.models === undefined && opts.endpoints === undefined
          ? null
          : parseInput(
              updateApiKeyPermissionsInput,
              {
                id,
                allowedModels: opts.models === undefined ? undefined : parseList(opts.models),
                allowedEndpoints: opts.endpoints === undefined ? undefined : parseList(opts.endpoints),
              },
              { id: "<key-id>", allowedModels: "--models", allowedEndpoints: "--endpoints" },
            );
      const limits = parseKeyLimitFlags(opts);
      const budget = parseBudgetFlags(opts);
      if (!permissions && !limits && !budget && !opts.clearLimits) {
        throw new UsageError(
          "nothing to change: give --models, --endpoints, --rpm, --tpm, --rpd, --concurrent, --tier, --budget-usd or --clear-limits",
        );
      }
      const { apiKey, ...result } = await withDatabase((db) =>
        db.transaction(async (tx) => {
          const txDb = tx as unknown as Db;
          const org = await findOrganizationBySlug(txDb, slug);
          const apiKey = permissions
            ? await updateApiKeyPermissions(txDb, { orgId: org.id, actor: CLI_ACTOR, input: permissions })
            : null;
          const applied = await applyLimitFlags(txDb, {
            orgId: org.id,
            keyId: id,
            limits,
            budget,
            clear: opts.clearLimits,
          });
          return { ...applied, apiKey };
        }),
      );
      if (out.json) return out.result(apiKey ? { ...result, apiKey } : result);
      out.line(`Updated API key ${result.limits.name} (id: ${id}).`);
      if (apiKey) out.line(permissionsLine(apiKey));
      for (const line of limitLines(result)) out.line(line);
    },
  );

  keys
    .command("revoke")
    .description("Revoke a key: it stops working on every instance within seconds")
    .requiredOption("--org <slug>", "organization slug")
    .argument("<id>", "key id (from `keys list`)")
    .action(async (id: string, opts: { org: string }, command: Command) => {
      const { out, withDatabase } = cliContext(command);
      const slug = parseOrgSlug(opts.org);
      const input = parseInput(apiKeyIdInput, { id }, { id: "<id>" });
      await withDatabase(async (db) => {
        const org = await findOrganizationBySlug(db, slug);
        await revokeApiKey(db, { orgId: org.id, actor: CLI_ACTOR, input });
      });
      if (out.json) out.result({ id: input.id, revoked: true });
      else out.line(`Revoked API key ${input.id}.`);
    });
}
