import type { z } from "zod";

/**
 * Bad command-line input (exit code 2). Domain errors (unknown org, unknown key, conflicts) keep
 * their own type and exit with 1.
 */
export class UsageError extends Error {
  override name = "UsageError";
}

/**
 * Parses CLI input with the same zod schema the console uses; the first issue becomes a one-line
 * usage error naming the flag it came from. `flags` maps object fields to flags, or names the one
 * flag a non-object value came from.
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  flags: Record<string, string> | string = {},
): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  let issue: z.core.$ZodIssue = result.error.issues[0]!;
  // Record keys and similar wrap the real reason ("Invalid key in record"): show the inner one.
  while (issue.code === "invalid_key" || issue.code === "invalid_element") {
    const inner = issue.issues[0];
    if (!inner) break;
    issue = { ...inner, path: issue.path };
  }
  const field = issue.path[0] === undefined ? undefined : String(issue.path[0]);
  const flag =
    typeof flags === "string"
      ? flags
      : field === undefined
        ? undefined
        : (flags[field] ?? `--${field}`);
  throw new UsageError(flag ? `${flag}: ${issue.message}` : issue.message);
}
