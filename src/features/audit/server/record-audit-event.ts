import type { Db } from "~/server/db";
import { auditEvents } from "~/server/db/schema";
import type { Actor } from "~/server/domain/actor";
import { newId } from "~/lib/ids";

export interface AuditEventInput {
  orgId: string;
  actor: Actor;
  /** `resource.verb`, e.g. `api_key.create`. */
  action: string;
  targetType: string;
  targetId?: string | null;
  summary: string;
  changes?: Record<string, unknown> | null;
}

/** Records one mutation. Call it inside the mutation's transaction so both land or neither does. */
export async function recordAuditEvent(db: Db, input: AuditEventInput): Promise<void> {
  await db.insert(auditEvents).values({
    id: newId("aud"),
    orgId: input.orgId,
    actorType: input.actor.type,
    actorId: input.actor.id,
    actorLabel: input.actor.label,
    action: input.action,
    targetType: input.targetType,
    targetId: input.targetId ?? null,
    summary: input.summary,
    changes: input.changes ?? null,
  });
}
