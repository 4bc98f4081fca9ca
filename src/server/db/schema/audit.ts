import { index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { organizations } from "./organizations";

export const ACTOR_TYPES = ["user", "cli", "system"] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

export const auditEvents = pgTable(
  "audit_events",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    actorType: text("actor_type", { enum: ACTOR_TYPES }).notNull(),
    /** User id for `user` actors. */
    actorId: text("actor_id"),
    /** Human label kept even if the user is deleted: email, `cli`, `system`. */
    actorLabel: text("actor_label").notNull(),
    /** `resource.verb`, e.g. `api_key.create`. */
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id"),
    summary: text("summary").notNull(),
    /** Before/after of changed fields; never secrets. */
    changes: jsonb("changes").$type<Record<string, unknown>>(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("audit_events_org_time_idx").on(t.orgId, t.createdAt),
    index("audit_events_org_action_idx").on(t.orgId, t.action),
  ],
);
