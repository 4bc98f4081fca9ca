import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { organizations } from "./organizations";

/** An upstream provider an org added itself (instance-wide ones come from env/config, not here). */
export const orgProviders = pgTable(
  "org_providers",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    /** Name clients use in `name/model`; unique per org. */
    name: text("name").notNull(),
    /** Adapter type in the provider registry (`openai`, `openai-compatible`, …). */
    type: text("type").notNull(),
    baseUrl: text("base_url").notNull(),
    /** API key encrypted with AES-256-GCM (see src/lib/secret-box.ts); null for keyless upstreams. */
    apiKeyEncrypted: text("api_key_encrypted"),
    /** Last 4 characters of the API key, for display. */
    apiKeyLast4: text("api_key_last4"),
    /** Extra headers sent upstream (non-secret). */
    headers: jsonb("headers").$type<Record<string, string>>().notNull().default({}),
    /**
     * Adapter-specific settings (`ProviderConfig.options`), e.g. Azure OpenAI's `apiVersion`;
     * null = the adapter's defaults.
     */
    options: jsonb("options").$type<Record<string, string>>(),
    /** Models offered (discovered from the provider's /models, then editable). */
    models: text("models").array().notNull().default([]),
    /** Timeout overrides in ms: connectMs, firstByteMs, idleMs, totalMs. */
    timeouts: jsonb("timeouts").$type<Partial<Record<"connectMs" | "firstByteMs" | "idleMs" | "totalMs", number>>>()
      .notNull()
      .default({}),
    /** Lower first when several providers offer the same plain model name. */
    priority: integer("priority").notNull().default(100),
    lastTestedAt: timestamp("last_tested_at", { withTimezone: true }),
    lastTestOk: text("last_test_result"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("org_providers_org_name_idx").on(t.orgId, t.name), index("org_providers_org_idx").on(t.orgId)],
);
