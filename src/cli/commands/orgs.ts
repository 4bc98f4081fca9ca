import type { Command } from "commander";
import { createOrgInput } from "~/features/orgs/schemas";
import { createOrganization } from "~/features/orgs/server/create-organization";
import { listOrganizations } from "~/features/orgs/server/list-organizations";
import { CLI_ACTOR } from "~/server/domain/actor";
import { parseInput } from "../cli-error";
import { cliContext } from "../cli-context";
import { formatDate } from "../output";

export function registerOrgCommands(program: Command): void {
  const orgs = program.command("orgs").description("Organizations (tenants)");

  orgs
    .command("create")
    .description("Create an organization (add members with `members add`)")
    .argument("<name>", "display name")
    .option("--slug <slug>", "URL slug (default: derived from the name)")
    .action(async (name: string, opts: { slug?: string }, command: Command) => {
      const { out, withDatabase } = cliContext(command);
      const input = parseInput(
        createOrgInput,
        { name, slug: opts.slug },
        { name: "<name>", slug: "--slug" },
      );
      const org = await withDatabase((db) =>
        createOrganization(db, { actor: CLI_ACTOR, ownerUserId: null, input }),
      );
      if (out.json) out.result(org);
      else out.line(`Created organization ${org.name} (slug: ${org.slug}, id: ${org.id})`);
    });

  orgs
    .command("list")
    .description("List every organization on this instance")
    .action(async (_opts: unknown, command: Command) => {
      const { out, withDatabase } = cliContext(command);
      const rows = await withDatabase((db) => listOrganizations(db));
      if (out.json) return out.result(rows);
      if (rows.length === 0)
        return out.line("No organizations yet. Create one with: orgs create <name>");
      out.table(
        ["SLUG", "NAME", "MEMBERS", "CREATED", "ID"],
        rows.map((o) => [o.slug, o.name, o.memberCount, formatDate(o.createdAt), o.id]),
      );
    });
}
