import { eq } from "drizzle-orm";
import { displayParts, generateApiKey } from "~/lib/api-key-secret";
import { newId } from "~/lib/ids";
import { hashApiKeyForInstance } from "~/server/api-key-hashing";
import type { Db } from "~/server/db";
import { apiKeys, organizations } from "~/server/db/schema";

export async function insertOrg(db: Db): Promise<string> {
  const id = newId("org");
  await db.insert(organizations).values({ id, slug: id.toLowerCase().replace("_", "-"), name: id });
  return id;
}

/** A key row for `orgId` (hashed with this instance's secret) and its secret. */
export async function insertKey(
  db: Db,
  orgId: string,
  values: Partial<typeof apiKeys.$inferInsert> = {},
): Promise<{ id: string; secret: string; hash: string }> {
  const secret = generateApiKey();
  const id = newId("key");
  const hash = hashApiKeyForInstance(secret);
  await db.insert(apiKeys).values({
    id,
    orgId,
    name: "test key",
    ...displayParts(secret),
    hash,
    createdByLabel: "test",
    ...values,
  });
  return { id, secret, hash };
}

export async function lastUsedAt(db: Db, keyId: string): Promise<Date | null> {
  const [row] = await db
    .select({ at: apiKeys.lastUsedAt })
    .from(apiKeys)
    .where(eq(apiKeys.id, keyId));
  return row?.at ?? null;
}
