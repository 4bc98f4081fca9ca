import type { Db } from "~/server/db";
import { apiKeys } from "~/server/db/schema";
import type { Actor } from "~/server/domain/actor";
import { hashApiKeyForInstance } from "~/server/api-key-hashing";
import { displayParts, generateApiKey } from "~/lib/api-key-secret";
import { newId } from "~/lib/ids";
import { recordAuditEvent } from "~/features/audit/server/record-audit-event";
import type { CreateApiKeyInput } from "../schemas";
import { toApiKeyView, type ApiKeyView } from "./api-key-view";

/** Mints a key. The secret is returned once and only its HMAC is stored. */
export async function createApiKey(
  db: Db,
  args: { orgId: string; actor: Actor; input: CreateApiKeyInput },
): Promise<{ apiKey: ApiKeyView; secret: string }> {
  const { input } = args;
  const secret = generateApiKey();
  const [row] = await db.transaction(async (tx) => {
    const inserted = await tx
      .insert(apiKeys)
      .values({
        id: newId("key"),
        orgId: args.orgId,
        name: input.name,
        ...displayParts(secret),
        hash: hashApiKeyForInstance(secret),
        createdByUserId: args.actor.type === "user" ? args.actor.id : null,
        createdByLabel: args.actor.label,
        allowedModels: input.allowedModels ?? null,
        allowedEndpoints: input.allowedEndpoints ?? null,
        metadata: input.metadata ?? {},
        expiresAt: input.expiresAt ?? null,
      })
      .returning();
    const key = inserted[0]!;
    await recordAuditEvent(tx, {
      orgId: args.orgId,
      actor: args.actor,
      action: "api_key.create",
      targetType: "api_key",
      targetId: key.id,
      summary: `Created API key ${key.name} (${key.prefix}…${key.last4})`,
      changes: {
        name: key.name,
        expiresAt: key.expiresAt?.toISOString() ?? null,
        allowedModels: key.allowedModels,
        allowedEndpoints: key.allowedEndpoints,
      },
    });
    return inserted;
  });
  return { apiKey: toApiKeyView(row!), secret };
}
