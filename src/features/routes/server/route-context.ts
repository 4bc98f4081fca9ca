import type { ProviderDirectory } from "~/gateway/ports";
import type { RouteDefinition } from "~/gateway/routing/route-schema";
import type { Db } from "~/server/db";
import { instanceRoutes } from "~/server/config/instance-config";
import { createProviderDirectory } from "~/server/providers/provider-directory";

/**
 * What route checks need to know besides the org's rows: the upstreams the org can reach and the
 * config file's routes. Defaults are the process's; tests pass their own.
 */
export interface RouteEnvironment {
  providers?: ProviderDirectory;
  instanceRoutes?: () => readonly RouteDefinition[];
}

export function resolveEnvironment(db: Db, env: RouteEnvironment | undefined) {
  return {
    providers: env?.providers ?? createProviderDirectory(db),
    instanceRoutes: env?.instanceRoutes ?? instanceRoutes,
  };
}

/**
 * The org's providers and the instance route names, for `routeWarnings`. Best effort: warnings
 * are advice, so a provider list that cannot be built right now yields none rather than failing
 * a save that already happened.
 */
export async function warningContext(db: Db, orgId: string, env: RouteEnvironment | undefined) {
  const resolved = resolveEnvironment(db, env);
  const instanceRouteNames = new Set(resolved.instanceRoutes().map((r) => r.name));
  try {
    return { providers: await resolved.providers.listForOrg(orgId), instanceRouteNames };
  } catch {
    return null;
  }
}
