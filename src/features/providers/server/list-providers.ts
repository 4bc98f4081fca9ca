import { asc, eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { orgProviders } from "~/server/db/schema";
import {
  sharedInstanceProviders,
  type InstanceProviderSet,
} from "~/server/providers/instance-providers";
import { knownProviderTypes } from "~/server/providers/provider-adapters";
import { providerSettings } from "~/server/providers/provider-settings";
import {
  toOrgProviderView,
  type InstanceProviderView,
  type OrgProviderView,
} from "./provider-view";

/** The instance-wide providers every org gets, and this org's own (never their API keys). */
export async function listProviders(
  db: Db,
  args: { orgId: string; instance?: InstanceProviderSet },
): Promise<{
  instance: InstanceProviderView[];
  org: OrgProviderView[];
  /** Adapter types an org provider may use. */
  types: string[];
  /** Whether base URLs on private networks (localhost, LAN) are accepted on this instance. */
  privateUpstreamsAllowed: boolean;
}> {
  const instance = args.instance ?? sharedInstanceProviders();
  // Lets a first model discovery finish (bounded) so the page shows real model counts.
  await instance.list();
  const rows = await db
    .select()
    .from(orgProviders)
    .where(eq(orgProviders.orgId, args.orgId))
    .orderBy(asc(orgProviders.priority), asc(orgProviders.name))
    .limit(1000);
  return {
    instance: instance.status().map((p) => ({
      id: p.id,
      type: p.type,
      source: p.source,
      models: [...p.models],
      discovery: p.status,
      refreshedAt: p.refreshedAt,
    })),
    org: rows.map(toOrgProviderView),
    types: [...knownProviderTypes()],
    privateUpstreamsAllowed: providerSettings().allowPrivateUpstreams,
  };
}
