import type { RouteDefinition } from "~/gateway/routing/route-schema";
import type { routes } from "~/server/db/schema";

/** An org route as the console and the CLI show it. */
export interface RouteView {
  id: string;
  name: string;
  definition: RouteDefinition;
  enabled: boolean;
  /** Grows by one with every change; edits name the version they were made from. */
  version: number;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

/** A route of the config file: every org has it, nobody changes it in the console. */
export interface InstanceRouteView {
  name: string;
  definition: RouteDefinition;
  /** This org has a route of the same name, which it gets instead. */
  overridden: boolean;
}

export function toRouteView(row: typeof routes.$inferSelect): RouteView {
  return {
    id: row.id,
    name: row.name,
    definition: row.definition,
    enabled: row.enabled,
    version: row.version,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
