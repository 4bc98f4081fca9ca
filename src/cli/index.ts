import { CommanderError } from "commander";
import { EnvError, env } from "~/env";
import { DomainError } from "~/server/domain/domain-error";
import { UsageError } from "./cli-error";
import { buildProgram } from "./program";

/**
 * `npm run cli -- <command>`. Exit codes: 0 ok, 1 error (unknown org, conflict, database),
 * 2 usage error (bad or missing arguments). Errors are one `error: …` line on stderr.
 */
export async function runCli(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander has already printed its message (or the help).
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`error: ${err.message}\n`);
      return 2;
    }
    if (err instanceof DomainError || err instanceof EnvError) {
      process.stderr.write(`error: ${err.message}\n`);
      return 1;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`error: ${message.split("\n")[0]}\n`);
    if (debugEnabled() && err instanceof Error && err.stack) {
      process.stderr.write(`${err.stack}\n`);
    }
    return 1;
  }
}

function debugEnabled(): boolean {
  try {
    return env().LOG_LEVEL === "debug";
  } catch {
    return false;
  }
}

const code = await runCli(process.argv);
// Let stdout drain (pipes) before exiting; open handles (timers, sockets) must not keep us alive.
process.stdout.write("", () => process.exit(code));
