import { Option, type Command } from "commander";
import { z } from "zod";
import { emailSchema, nameSchema, passwordSchema } from "~/features/auth/schemas";
import { createUser } from "~/features/auth/server/create-user";
import { parseInput, UsageError } from "../cli-error";
import { cliContext } from "../cli-context";

const createUserInput = z.object({
  email: emailSchema,
  password: passwordSchema,
  name: nameSchema.optional(),
});

export function registerUserCommands(program: Command): void {
  const users = program.command("users").description("User accounts");

  users
    .command("create")
    .description("Create a user who signs in with email and password")
    .requiredOption("--email <email>", "email address (the sign-in name)")
    .addOption(
      new Option(
        "--password <password>",
        "password (prefer the env var: it stays out of shell history)",
      ).env("SWITCHYARD_CLI_PASSWORD"),
    )
    .option("--name <name>", "display name")
    .action(async (opts: { email: string; password?: string; name?: string }, command: Command) => {
      const { out, withDatabase } = cliContext(command);
      if (opts.password === undefined) {
        throw new UsageError("--password is required (or set SWITCHYARD_CLI_PASSWORD)");
      }
      const input = parseInput(createUserInput, opts);
      const user = await withDatabase((db) => createUser(db, { input }));
      if (out.json) out.result(user);
      else out.line(`Created user ${user.email} (id: ${user.id})`);
    });
}
