import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import type { Policy } from "~/gateway/guardrails/policy";
import { organizations } from "./organizations";

/**
 * An org's guardrail policies (instance-wide ones come from the config file, not from here).
 * `definition` is the policy as validated by `policySchema` (defaults applied), its `id` equal to
 * the `policy_id` column; `enabled` and `priority` are copied out so the list can be ordered and
 * filtered without reading the JSON. `version` grows by one with every change; each version is
 * kept in `guardrail_policy_versions`.
 */
export const guardrailPolicies = pgTable(
  "guardrail_policies",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    /** The policy's own id (`pii-redaction`), unique per org; hits and errors name it. */
    policyId: text("policy_id").notNull(),
    name: text("name").notNull(),
    enabled: boolean("enabled").notNull().default(true),
    priority: integer("priority").notNull().default(100),
    definition: jsonb("definition").$type<Policy>().notNull(),
    version: integer("version").notNull().default(1),
    createdBy: text("created_by").notNull(),
    updatedBy: text("updated_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("guardrail_policies_org_policy_idx").on(t.orgId, t.policyId)],
);

/**
 * Every version of every policy, deletions included (`definition` null): who changed what, when.
 * Kept when the policy is deleted, so its history can still be read.
 */
export const guardrailPolicyVersions = pgTable(
  "guardrail_policy_versions",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    policyId: text("policy_id").notNull(),
    version: integer("version").notNull(),
    /** `created`, `updated`, `deleted`. */
    change: text("change").notNull(),
    definition: jsonb("definition").$type<Policy>(),
    /** Who made the change, for display: an email, or `cli`. */
    actorLabel: text("actor_label").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("guardrail_policy_versions_org_policy_idx").on(t.orgId, t.policyId, t.version)],
);
