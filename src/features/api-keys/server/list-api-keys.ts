import { desc, eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { apiKeys } from "~/server/db/schema";
import { toApiKeyView, type ApiKeyView } from "./api-key-view";

export async function listApiKeys(db: Db, args: { orgId: string }): Promise<ApiKeyView[]> {
  const rows = await db
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.orgId, args.orgId))
    .orderBy(desc(apiKeys.createdAt))
    .limit(1000);
  const now = new Date();
  return rows.map((r) => toApiKeyView(r, now));
}
