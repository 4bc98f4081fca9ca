import { and, eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { apiKeys } from "~/server/db/schema";
import { keyNotFound } from "./limits-rules";
import { keyLimitQuery } from "./list-key-limits";
import { toKeyLimitView, type KeyLimitView } from "./key-limit-view";

/** One key's tier, own and effective limits (NOT_FOUND for another org's key). */
export async function getKeyLimits(
  db: Db,
  args: { orgId: string; keyId: string },
): Promise<KeyLimitView> {
  const [row] = await keyLimitQuery(
    db,
    and(eq(apiKeys.id, args.keyId), eq(apiKeys.orgId, args.orgId)),
  );
  if (!row) throw keyNotFound();
  return toKeyLimitView(row);
}
