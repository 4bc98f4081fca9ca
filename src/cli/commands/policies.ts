import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import { findOrganizationBySlug } from "~/features/orgs/server/find-organization-by-slug";
import { parsePoliciesDocument, policyProblemsMessage, SAMPLE_POLICIES_YAML } from "~/features/policies/policy-document";
import { applyPoliciesInput } from "~/features/policies/schemas";
import { applyPolicies } from "~/features/policies/server/apply-policies";
import { listPolicies } from "~/features/policies/server/list-policies";
import type { Policy } from "~/gateway/guardrails/policy/schema";
import { CLI_ACTOR } from "~/server/domain/actor";
import { DomainError } from "~/server/domain/domain-error";
import { parseInput, UsageError } from "../cli-error";
import { cliContext, parseOrgSlug } from "../cli-context";
import { formatDate } from "../output";

/** `redact, block` — a policy's rule actions in one cell. */
function actionsSummary(policy: Policy): string {
  return [...new Set(policy.rules.map((r) => r.action))].join(", ");
}

async function readDocument(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new UsageError(`--file: cannot read ${file}${code === "ENOENT" ? " (no such file)" : code ? ` (${code})` : ""}`);
  }
}

export function registerPolicyCommands(program: Command): void {
  const policies = program
    .command("policies")
    .description("Guardrail policies of an organization: block, redact, mask, flag, reroute");

  policies
    .command("list")
    .description("List the organization's policies in the order they run, and the config file's")
    .requiredOption("--org <slug>", "organization slug")
    .action(async (opts: { org: string }, command: Command) => {
      const { out, withDatabase } = cliContext(command);
      const slug = parseOrgSlug(opts.org);
      const list = await withDatabase(async (db) => {
        const org = await findOrganizationBySlug(db, slug);
        return listPolicies(db, { orgId: org.id });
      });
      if (out.json) return out.result(list);
      if (list.org.length === 0 && list.instance.length === 0) {
        return out.line(`${slug} has no guardrail policies yet. Write a policies file and apply it with: policies apply --org ${slug} --file policies.yaml`);
      }
      out.table(
        ["ID", "NAME", "SOURCE", "PRIORITY", "STAGE", "ACTIONS", "ENABLED", "VERSION", "UPDATED"],
        [
          ...list.org.map((p) => [
            p.policyId,
            p.name,
            "org",
            p.priority,
            p.stage,
            actionsSummary(p.definition),
            p.enabled ? "yes" : "no",
            p.version,
            formatDate(p.updatedAt),
          ]),
          ...list.instance.map((p) => [
            p.policyId,
            p.definition.name,
            p.overridden ? "config (replaced by org)" : "config",
            p.definition.priority,
            p.definition.stage,
            actionsSummary(p.definition),
            p.overridden || !p.definition.enabled ? "no" : "yes",
            null,
            null,
          ]),
        ],
      );
    });

  policies
    .command("apply")
    .description("Create or update policies from a YAML or JSON file (`policies:` list or a bare list), all or nothing")
    .requiredOption("--org <slug>", "organization slug")
    .requiredOption("--file <path>", "policies file (.yaml, .yml or .json)")
    .addHelpText("after", `\nExample policies.yaml:\n\n${SAMPLE_POLICIES_YAML}`)
    .action(async (opts: { org: string; file: string }, command: Command) => {
      const { out, withDatabase } = cliContext(command);
      const slug = parseOrgSlug(opts.org);
      out.progress(`Reading ${path.basename(opts.file)}…`);
      const document = await readDocument(opts.file);
      const input = parseInput(applyPoliciesInput, { document }, { document: "--file" });
      // Checked before the database is opened: a bad file fails fast and changes nothing.
      const parsed = parsePoliciesDocument(input.document);
      if (!parsed.ok) throw new DomainError("BAD_REQUEST", policyProblemsMessage(parsed.problems));
      out.progress(`${parsed.value.length} polic${parsed.value.length === 1 ? "y" : "ies"} valid; applying to ${slug}…`);
      const report = await withDatabase(async (db) => {
        const org = await findOrganizationBySlug(db, slug);
        return applyPolicies(db, { orgId: org.id, actor: CLI_ACTOR, input });
      });
      if (out.json) return out.result(report);
      const list = (ids: string[]) => (ids.length > 0 ? ids.join(", ") : "-");
      out.line(`Created: ${list(report.created)}`);
      out.line(`Updated: ${list(report.updated)}`);
      out.line(`Unchanged: ${list(report.unchanged)}`);
    });
}
