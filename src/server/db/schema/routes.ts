import {
  boolean,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import type { RouteDefinition } from "~/gateway/routing/route-schema";
import { organizations } from "./organizations";

/**
 * A route (virtual model) an org defined itself; instance-wide routes come from the config file,
 * not from here. `definition` is the route as validated by `routeDefinitionSchema` (defaults
 * applied), its `name` always equal to the `name` column. `version` starts at 1 and grows by one
 * with every change, so an edit made from a stale copy is refused instead of silently winning.
 */
export const routes = pgTable(
  "routes",
  {
    id: text("id").primaryKey(),
    orgId: text("org_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    /** What clients send as `model`; unique per org. */
    name: text("name").notNull(),
    definition: jsonb("definition").$type<RouteDefinition>().notNull(),
    /** A disabled route is kept but not served: its name resolves as a plain model again. */
    enabled: boolean("enabled").notNull().default(true),
    /** Who created it, for display: an email, or `cli`. */
    createdBy: text("created_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    version: integer("version").notNull().default(1),
  },
  // The unique index also serves every "routes of this org" query (org_id leads it).
  (t) => [uniqueIndex("routes_org_name_idx").on(t.orgId, t.name)],
);
