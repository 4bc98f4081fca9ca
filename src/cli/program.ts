import { Command } from "commander";
import { registerDbCommands } from "./commands/db";
import { registerJobCommands } from "./commands/jobs";
import { registerKeyCommands } from "./commands/keys";
import { registerLimitCommands } from "./commands/limits";
import { registerMemberCommands } from "./commands/members";
import { registerOrgCommands } from "./commands/orgs";
import { registerPolicyCommands } from "./commands/policies";
import { registerRouteCommands } from "./commands/routes";
import { registerUsageCommands } from "./commands/usage";
import { registerUserCommands } from "./commands/users";

/** The `switchyard` command tree (headless administration over the console's domain functions). */
export function buildProgram(): Command {
  const program = new Command("switchyard")
    .description(
      "Switchyard administration: organizations, users, members, API keys, routes, database",
    )
    .option("--json", "machine-readable output (JSON on stdout)")
    .showSuggestionAfterError()
    // Errors become exceptions so the entry point decides exit codes (2 for usage errors).
    .exitOverride();
  registerOrgCommands(program);
  registerUserCommands(program);
  registerMemberCommands(program);
  registerKeyCommands(program);
  registerLimitCommands(program);
  registerRouteCommands(program);
  registerPolicyCommands(program);
  registerUsageCommands(program);
  registerJobCommands(program);
  registerDbCommands(program);
  return program;
}
