import { DomainError } from "~/server/domain/domain-error";

/**
 * Keyset position in the newest-first log list. The timestamp is kept as Postgres prints it
 * (microseconds), not as a JavaScript Date (milliseconds), so that paging never skips or repeats
 * rows that share a millisecond.
 */
export interface LogCursor {
  createdAt: string;
  id: string;
}

export function encodeLogCursor(c: LogCursor): string {
  return Buffer.from(`${c.createdAt}|${c.id}`).toString("base64url");
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export function decodeLogCursor(cursor: string): LogCursor {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const split = text.indexOf("|");
  const createdAt = text.slice(0, split);
  const id = text.slice(split + 1);
  if (split < 0 || !TIMESTAMP.test(createdAt) || !id) throw new DomainError("BAD_REQUEST", "Invalid cursor.");
  return { createdAt, id };
}
