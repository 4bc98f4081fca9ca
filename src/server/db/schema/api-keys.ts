import { index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { organizations } from "./organizations";
import { users } from "./users";

export const apiKeys = pgTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** First characters of the secret (`sy-` + 4), shown in lists. */
    prefix: text("prefix").notNull(),
    last4: text("last4").notNull(),
    /** HMAC-SHA256(server secret, key), hex. The key itself is never stored. */
    hash: text("hash").notNull().unique(),
    createdByUserId: text("created_by_user_id").references(() => users.id, {
      onDelete: "set null",
    }),
    /** Who created it, for display: an email, or `cli`. */
    createdByLabel: text("created_by_label").notNull(),
    /** null = every model the org can reach. */
    allowedModels: text("allowed_models").array(),
    /**
     * API endpoint groups the key may call (`chat`, `completions`, `embeddings`, `models`,
     * `files`); null = all of them. See src/gateway/key-endpoints.ts.
     */
    allowedEndpoints: text("allowed_endpoints").array(),
    metadata: jsonb("metadata").$type<Record<string, string>>().notNull().default({}),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("api_keys_org_idx").on(t.orgId, t.createdAt)],
);
