import { logger } from "~/lib/logger";
import type { Db } from "~/server/db";
import { DomainError } from "~/server/domain/domain-error";
import { usageExportQuery } from "../schemas";
import { parseUsageTime, resolveUsageRange } from "../usage-range";
import { resolveOrgAccess } from "./resolve-org-access";
import { streamUsageCsv } from "./stream-usage-csv";

const STATUS: Partial<Record<DomainError["code"], number>> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
};

function errorResponse(status: number, message: string): Response {
  return Response.json(
    { error: { message } },
    { status, headers: { "cache-control": "no-store" } },
  );
}

const TIME_HINT = "use a duration like 7d or an ISO date like 2026-01-31";

/** `since`/`until` as typed in a URL: durations back from now (`7d`) or ISO dates. */
function timeParam(
  query: URLSearchParams,
  name: string,
  now: Date,
): { date?: Date; problem?: string } {
  const text = query.get(name);
  if (text === null || text === "") return {};
  const date = parseUsageTime(text, now);
  return date
    ? { date }
    : { problem: `${name}: "${text.slice(0, 40)}" is not a time; ${TIME_HINT}.` };
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10).replaceAll("-", "");
}

/**
 * GET the org's usage breakdown as a CSV download, for a signed-in member with `usage:read`.
 * Query: `since` (required), `until`, `by` (model | key | provider | user). Bad input is a 4xx
 * with `{ error: { message } }`; the body streams window by window (see streamUsageCsv).
 */
export async function usageCsvResponse(args: {
  db: Db;
  user: { id: string } | null;
  slug: string;
  query: URLSearchParams;
  now?: Date;
}): Promise<Response> {
  const now = args.now ?? new Date();
  if (!args.user) return errorResponse(401, "Sign in first.");
  const since = timeParam(args.query, "since", now);
  const until = timeParam(args.query, "until", now);
  if (!args.query.get("since")) return errorResponse(400, `since: required; ${TIME_HINT}.`);
  const problem = since.problem ?? until.problem;
  if (problem) return errorResponse(400, problem);
  const parsed = usageExportQuery.safeParse({
    since: since.date,
    // "Now" is this request's: the range check must not read another clock.
    until: until.date ?? now,
    by: args.query.get("by") || undefined,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path[0];
    return errorResponse(
      400,
      `${field === undefined ? "" : `${String(field)}: `}${issue?.message ?? "Invalid query."}`,
    );
  }
  let org: { id: string; slug: string };
  try {
    org = await resolveOrgAccess(args.db, {
      userId: args.user.id,
      slug: args.slug,
      scope: "usage:read",
    });
  } catch (err) {
    if (err instanceof DomainError) return errorResponse(STATUS[err.code] ?? 400, err.message);
    throw err;
  }
  const range = resolveUsageRange(parsed.data, now);
  const by = parsed.data.by;
  const lines = streamUsageCsv(args.db, { orgId: org.id, range, by });
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await lines.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (err) {
        // Headers are gone already: end the download as failed rather than as a short file.
        logger.error("usage CSV export failed", {
          error: err instanceof Error ? err.message : String(err),
        });
        controller.error(err);
      }
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
  const filename = `usage-${org.slug}-by-${by}-${day(range.since)}-${day(range.until)}.csv`;
  return new Response(body, {
    status: 200,
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
