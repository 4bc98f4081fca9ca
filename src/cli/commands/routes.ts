import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import { findOrganizationBySlug } from "~/features/orgs/server/find-organization-by-slug";
import {
  documentProblemsMessage,
  parseRoutesDocument,
  SAMPLE_ROUTES_YAML,
} from "~/features/routes/route-document";
import { applyRoutesInput, deleteRouteInput } from "~/features/routes/schemas";
import { applyRoutes } from "~/features/routes/server/apply-routes";
import { deleteRoute } from "~/features/routes/server/delete-route";
import { listRoutes } from "~/features/routes/server/list-routes";
import type { RouteDefinition } from "~/gateway/routing/route-schema";
import { CLI_ACTOR } from "~/server/domain/actor";
import { DomainError } from "~/server/domain/domain-error";
import { parseInput, UsageError } from "../cli-error";
import { cliContext, parseOrgSlug } from "../cli-context";
import { formatDate } from "../output";

/** `a/b, c` — a route's targets in one cell (weights for weighted routes). */
function targetsSummary(definition: RouteDefinition): string {
  return definition.targets
    .map((t) =>
      definition.strategy === "weighted" && t.weight !== undefined
        ? `${t.model}×${t.weight}`
        : t.model,
    )
    .join(", ");
}

async function readDocument(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new UsageError(
      `--file: cannot read ${file}${code === "ENOENT" ? " (no such file)" : code ? ` (${code})` : ""}`,
    );
  }
}

export function registerRouteCommands(program: Command): void {
  const routes = program
    .command("routes")
    .description("Routes (virtual models) of an organization: fallbacks, weights, retries");

  routes
    .command("list")
    .description("List the organization's routes and the instance-wide ones from the config file")
    .requiredOption("--org <slug>", "organization slug")
    .action(async (opts: { org: string }, command: Command) => {
      const { out, withDatabase } = cliContext(command);
      const slug = parseOrgSlug(opts.org);
      const list = await withDatabase(async (db) => {
        const org = await findOrganizationBySlug(db, slug);
        return listRoutes(db, { orgId: org.id, input: { models: false } });
      });
      if (out.json) return out.result({ org: list.org, instance: list.instance });
      if (list.org.length === 0 && list.instance.length === 0) {
        return out.line(
          `${slug} has no routes yet. Write a routes file and apply it with: routes apply --org ${slug} --file routes.yaml`,
        );
      }
      out.table(
        ["NAME", "SOURCE", "STRATEGY", "TARGETS", "ENABLED", "VERSION", "UPDATED"],
        [
          ...list.org.map((r) => [
            r.name,
            "org",
            r.definition.strategy,
            targetsSummary(r.definition),
            r.enabled ? "yes" : "no",
            r.version,
            formatDate(r.updatedAt),
          ]),
          ...list.instance.map((r) => [
            r.name,
            r.overridden ? "config (replaced by org)" : "config",
            r.definition.strategy,
            targetsSummary(r.definition),
            r.overridden ? "no" : "yes",
            null,
            null,
          ]),
        ],
      );
    });

  routes
    .command("apply")
    .description(
      "Create or update routes from a YAML or JSON file (`routes:` list or a bare list), all or nothing",
    )
    .requiredOption("--org <slug>", "organization slug")
    .requiredOption("--file <path>", "routes file (.yaml, .yml or .json)")
    .addHelpText("after", `\nExample routes.yaml:\n\n${SAMPLE_ROUTES_YAML}`)
    .action(async (opts: { org: string; file: string }, command: Command) => {
      const { out, withDatabase } = cliContext(command);
      const slug = parseOrgSlug(opts.org);
      out.progress(`Reading ${path.basename(opts.file)}…`);
      const document = await readDocument(opts.file);
      const input = parseInput(applyRoutesInput, { document }, { document: "--file" });
      // Checked before the database is opened: a bad file fails fast and changes nothing.
      const parsed = parseRoutesDocument(input.document);
      if (!parsed.ok)
        throw new DomainError("BAD_REQUEST", documentProblemsMessage(parsed.problems));
      out.progress(
        `${parsed.routes.length} route${parsed.routes.length === 1 ? "" : "s"} valid; applying to ${slug}…`,
      );
      const report = await withDatabase(async (db) => {
        const org = await findOrganizationBySlug(db, slug);
        return applyRoutes(db, { orgId: org.id, actor: CLI_ACTOR, input });
      });
      for (const warning of report.warnings) out.progress(`warning: ${warning}`);
      if (out.json) return out.result(report);
      const list = (names: string[]) => (names.length > 0 ? names.join(", ") : "-");
      out.line(`Created: ${list(report.created)}`);
      out.line(`Updated: ${list(report.updated)}`);
      out.line(`Unchanged: ${list(report.unchanged)}`);
    });

  routes
    .command("delete")
    .description("Delete one of the organization's routes")
    .requiredOption("--org <slug>", "organization slug")
    .requiredOption("--name <name>", "route name")
    .action(async (opts: { org: string; name: string }, command: Command) => {
      const { out, withDatabase } = cliContext(command);
      const slug = parseOrgSlug(opts.org);
      const input = parseInput(deleteRouteInput, { name: opts.name }, { name: "--name" });
      const deleted = await withDatabase(async (db) => {
        const org = await findOrganizationBySlug(db, slug);
        return deleteRoute(db, { orgId: org.id, actor: CLI_ACTOR, input });
      });
      if (out.json) out.result({ ...deleted, deleted: true });
      else out.line(`Deleted route ${deleted.name} (id: ${deleted.id}).`);
    });
}
