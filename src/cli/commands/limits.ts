import type { Command } from "commander";
import { findOrganizationBySlug } from "~/features/orgs/server/find-organization-by-slug";
import { createTierInput } from "~/features/limits/schemas";
import { addDefaultTiers } from "~/features/limits/server/add-default-tiers";
import { createTier } from "~/features/limits/server/create-tier";
import { getLimitsOverview } from "~/features/limits/server/get-limits-overview";
import { listTiers } from "~/features/limits/server/list-tiers";
import { usdText } from "~/features/limits/server/limits-rules";
import type { TierView } from "~/features/limits/server/tier-view";
import { updateTier } from "~/features/limits/server/update-tier";
import type { RateLimits } from "~/gateway/limits/types";
import type { Db } from "~/server/db";
import { CLI_ACTOR } from "~/server/domain/actor";
import { parseInput } from "../cli-error";
import { cliContext, parseOrgSlug } from "../cli-context";
import type { Output } from "../output";

const n = (v: number | null) => (v === null ? "-" : v.toLocaleString("en-US"));
const limitCells = (l: RateLimits | null) =>
  l ? [n(l.rpm), n(l.tpm), n(l.rpd), n(l.concurrent)] : ["-", "-", "-", "-"];

function tiersTable(out: Output, tiers: TierView[]) {
  out.table(
    ["TIER", "RPM", "TPM", "RPD", "CONCURRENT", "KEYS"],
    tiers.map((t) => [t.name, ...limitCells(t.limits), t.keyCount]),
  );
}

/** A number flag as typed (the schema says what is wrong with text). */
const numberOrText = (v: string | undefined) =>
  v === undefined ? undefined : /^[+-]?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : v;

export function registerLimitCommands(program: Command): void {
  const limits = program
    .command("limits")
    .description("Rate limits, tiers and budgets of an organization");

  limits
    .command("show")
    .description("Org and model limits, tiers, key limits and budgets with this period's spend")
    .requiredOption("--org <slug>", "organization slug")
    .action(async (opts: { org: string }, command: Command) => {
      const { out, withDatabase } = cliContext(command);
      const slug = parseOrgSlug(opts.org);
      const overview = await withDatabase(async (db) =>
        getLimitsOverview(db, { orgId: (await findOrganizationBySlug(db, slug)).id }),
      );
      if (out.json) return out.result(overview);
      out.line("Org and model limits:");
      if (overview.orgLimits.length === 0) out.line("  none");
      out.table(
        ["SCOPE", "RPM", "TPM", "RPD", "CONCURRENT"],
        overview.orgLimits.map((l) => [l.model ?? "(org-wide)", ...limitCells(l.limits)]),
      );
      out.line();
      out.line("Tiers:");
      if (overview.tiers.length === 0)
        out.line(`  none (create defaults: limits tiers apply --org ${slug})`);
      tiersTable(out, overview.tiers);
      out.line();
      out.line("Keys with limits:");
      const limited = overview.keys.filter((k) => k.effective || k.cacheTtlSeconds !== null);
      if (limited.length === 0) out.line("  none");
      out.table(
        ["KEY", "NAME", "TIER", "RPM", "TPM", "RPD", "CONCURRENT"],
        limited.map((k) => [k.keyId, k.name, k.tier?.name ?? "-", ...limitCells(k.effective)]),
      );
      out.line();
      out.line("Budgets:");
      if (overview.budgets.length === 0) out.line("  none");
      out.table(
        ["ID", "SCOPE", "AMOUNT", "PERIOD", "MODE", "SPENT", "USED"],
        overview.budgets.map((b) => [
          b.id,
          b.scope === "key" ? `key ${b.keyName ?? b.keyId}` : b.scope,
          usdText(b.amountMicros),
          b.period,
          b.hard ? "hard" : "soft",
          usdText(b.spentMicros),
          `${Math.floor((b.spentMicros / b.amountMicros) * 100)}%`,
        ]),
      );
    });

  const tiers = limits
    .command("tiers")
    .description("Named rate-limit presets keys are assigned to");

  tiers
    .command("list")
    .description("List the organization's tiers")
    .requiredOption("--org <slug>", "organization slug")
    .action(async (opts: { org: string }, command: Command) => {
      const { out, withDatabase } = cliContext(command);
      const slug = parseOrgSlug(opts.org);
      const rows = await withDatabase(async (db) =>
        listTiers(db, { orgId: (await findOrganizationBySlug(db, slug)).id }),
      );
      if (out.json) return out.result(rows);
      if (rows.length === 0) {
        return out.line(
          `${slug} has no tiers yet. Create the defaults with: limits tiers apply --org ${slug}`,
        );
      }
      tiersTable(out, rows);
    });

  tiers
    .command("apply")
    .description(
      "Create the default tiers (free, pro, enterprise) the organization does not have yet",
    )
    .requiredOption("--org <slug>", "organization slug")
    .action(async (opts: { org: string }, command: Command) => {
      const { out, withDatabase } = cliContext(command);
      const slug = parseOrgSlug(opts.org);
      const result = await withDatabase(async (db) =>
        addDefaultTiers(db, {
          orgId: (await findOrganizationBySlug(db, slug)).id,
          actor: CLI_ACTOR,
        }),
      );
      if (out.json) return out.result(result);
      out.line(`Created: ${result.created.join(", ") || "-"}`);
      out.line(`Already there: ${result.skipped.join(", ") || "-"}`);
    });

  tiers
    .command("set")
    .description("Create a tier or replace its limits (measures left out are unlimited)")
    .requiredOption("--org <slug>", "organization slug")
    .argument("<name>", "tier name")
    .option("--rpm <n>", "requests per minute")
    .option("--tpm <n>", "tokens per minute")
    .option("--rpd <n>", "requests per day")
    .option("--concurrent <n>", "requests in flight at once")
    .action(
      async (
        name: string,
        opts: { org: string; rpm?: string; tpm?: string; rpd?: string; concurrent?: string },
        command: Command,
      ) => {
        const { out, withDatabase } = cliContext(command);
        const slug = parseOrgSlug(opts.org);
        const input = parseInput(
          createTierInput,
          {
            name,
            rpm: numberOrText(opts.rpm),
            tpm: numberOrText(opts.tpm),
            rpd: numberOrText(opts.rpd),
            concurrent: numberOrText(opts.concurrent),
          },
          { name: "<name>" },
        );
        const saved = await withDatabase(async (db: Db) => {
          const orgId = (await findOrganizationBySlug(db, slug)).id;
          const existing = (await listTiers(db, { orgId })).find((t) => t.name === input.name);
          return existing
            ? updateTier(db, { orgId, actor: CLI_ACTOR, input: { ...input, id: existing.id } })
            : createTier(db, { orgId, actor: CLI_ACTOR, input });
        });
        if (out.json) return out.result(saved);
        out.line(`Saved tier ${saved.name} (id: ${saved.id}).`);
        tiersTable(out, [saved]);
      },
    );
}
