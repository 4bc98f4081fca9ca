import { and, asc, eq, gte, isNotNull } from "drizzle-orm";
import type { Db } from "~/server/db";
import { apiKeys, requestLogs } from "~/server/db/schema";

/** How far back the model list looks (bounded by the org/time index, so it stays cheap). */
const MODEL_WINDOW_MS = 30 * 24 * 3600 * 1000;

export interface LogFilterOptions {
  keys: { id: string; name: string; prefix: string; last4: string; revoked: boolean }[];
  /** Requested and served model names seen in the last 30 days. */
  models: string[];
}

/** Choices for the Logs page's filter bar: the org's keys and the models it has used. */
export async function listLogFilters(
  db: Db,
  args: { orgId: string; now?: Date },
): Promise<LogFilterOptions> {
  const since = new Date((args.now ?? new Date()).getTime() - MODEL_WINDOW_MS);
  const recent = and(eq(requestLogs.orgId, args.orgId), gte(requestLogs.createdAt, since));
  const [keys, served, requested] = await Promise.all([
    db
      .select({
        id: apiKeys.id,
        name: apiKeys.name,
        prefix: apiKeys.prefix,
        last4: apiKeys.last4,
        revokedAt: apiKeys.revokedAt,
      })
      .from(apiKeys)
      .where(eq(apiKeys.orgId, args.orgId))
      .orderBy(asc(apiKeys.name))
      .limit(1000),
    db
      .selectDistinct({ model: requestLogs.servedModel })
      .from(requestLogs)
      .where(and(recent, isNotNull(requestLogs.servedModel)))
      .limit(500),
    db
      .selectDistinct({ model: requestLogs.requestedModel })
      .from(requestLogs)
      .where(and(recent, isNotNull(requestLogs.requestedModel)))
      .limit(500),
  ]);
  const models = new Set<string>();
  for (const r of [...served, ...requested]) if (r.model) models.add(r.model);
  return {
    keys: keys.map(({ revokedAt, ...k }) => ({ ...k, revoked: revokedAt !== null })),
    models: [...models].sort((a, b) => a.localeCompare(b)),
  };
}
