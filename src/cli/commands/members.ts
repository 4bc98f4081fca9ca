import type { Command } from "commander";
import { addMemberInput } from "~/features/members/schemas";
import { addMember } from "~/features/members/server/add-member";
import { listMembers } from "~/features/members/server/list-members";
import { findOrganizationBySlug } from "~/features/orgs/server/find-organization-by-slug";
import { CLI_ACTOR } from "~/server/domain/actor";
import { parseInput } from "../cli-error";
import { cliContext, parseOrgSlug } from "../cli-context";
import { formatDate } from "../output";

export function registerMemberCommands(program: Command): void {
  const members = program.command("members").description("Members of an organization");

  members
    .command("add")
    .description("Add an existing user to an organization")
    .requiredOption("--org <slug>", "organization slug")
    .requiredOption("--email <email>", "the user's email (create users with `users create`)")
    .requiredOption("--role <role>", "owner, admin, developer or viewer")
    .action(async (opts: { org: string; email: string; role: string }, command: Command) => {
      const { out, withDatabase } = cliContext(command);
      const slug = parseOrgSlug(opts.org);
      const input = parseInput(addMemberInput, { email: opts.email, role: opts.role });
      const member = await withDatabase(async (db) => {
        const org = await findOrganizationBySlug(db, slug);
        return { org, ...(await addMember(db, { orgId: org.id, actor: CLI_ACTOR, input })) };
      });
      if (out.json)
        out.result({
          id: member.id,
          userId: member.userId,
          email: member.email,
          role: member.role,
          org: member.org,
        });
      else
        out.line(
          `Added ${member.email} to ${member.org.slug} as ${member.role} (membership id: ${member.id})`,
        );
    });

  members
    .command("list")
    .description("List the members of an organization")
    .requiredOption("--org <slug>", "organization slug")
    .action(async (opts: { org: string }, command: Command) => {
      const { out, withDatabase } = cliContext(command);
      const slug = parseOrgSlug(opts.org);
      const rows = await withDatabase(async (db) =>
        listMembers(db, { orgId: (await findOrganizationBySlug(db, slug)).id }),
      );
      if (out.json) return out.result(rows);
      if (rows.length === 0)
        return out.line(
          `${slug} has no members yet. Add one with: members add --org ${slug} --email … --role owner`,
        );
      out.table(
        ["EMAIL", "NAME", "ROLE", "JOINED", "ID"],
        rows.map((m) => [m.email, m.name, m.role, formatDate(m.createdAt), m.id]),
      );
    });
}
