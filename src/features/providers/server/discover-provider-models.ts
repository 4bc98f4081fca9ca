import { and, eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { orgProviders } from "~/server/db/schema";
import type { Actor } from "~/server/domain/actor";
import { DomainError } from "~/server/domain/domain-error";
import { recordAuditEvent } from "~/features/audit/server/record-audit-event";
import { invalidateOrgProviders } from "~/server/providers/provider-directory";
import { PROVIDER_LIMITS, type DiscoverModelsInput } from "../schemas";
import { probeUpstream, resolveProbeTarget } from "./probe-upstream";
import type { UpstreamPolicy } from "./provider-rules";
import { encodeTestResult } from "./provider-view";

export interface DiscoveredModels {
  /** What the upstream lists (sorted, at most PROVIDER_LIMITS.modelsMax). */
  discovered: string[];
  /** More were listed than a provider may hold. */
  truncated: boolean;
  /** The provider's list after `apply` (null when nothing was saved). */
  saved: string[] | null;
  added: string[];
  removed: string[];
}

/**
 * Lists the upstream's models. With `apply`, the saved provider's list becomes the discovered
 * one (`replace`) or gains what it lacked (`merge`); otherwise nothing is written and the console
 * lets the person edit the list before saving.
 */
export async function discoverProviderModels(
  db: Db,
  args: {
    orgId: string;
    actor: Actor;
    input: DiscoverModelsInput;
    policy?: Partial<UpstreamPolicy>;
  },
): Promise<DiscoveredModels> {
  const { input, orgId } = args;
  const target = await resolveProbeTarget(db, {
    orgId,
    input: { id: input.id, draft: input.draft },
    policy: args.policy,
  });
  const outcome = await probeUpstream(target.config);
  if (target.savedId) {
    // A discovery is a connection test too.
    await db
      .update(orgProviders)
      .set({
        lastTestedAt: new Date(),
        lastTestOk: encodeTestResult(outcome.ok, outcome.ok ? null : outcome.message),
      })
      .where(and(eq(orgProviders.id, target.savedId), eq(orgProviders.orgId, orgId)));
  }
  if (!outcome.ok)
    throw new DomainError("PRECONDITION_FAILED", `Model discovery failed: ${outcome.message}`);

  const all = [...outcome.models]
    .filter((m) => m.length <= PROVIDER_LIMITS.modelIdMax && !/[\s,]/.test(m))
    .sort();
  const discovered = all.slice(0, PROVIDER_LIMITS.modelsMax);
  const before = target.savedModels ?? [];
  if (!input.apply || !target.savedId) {
    return {
      discovered,
      truncated: all.length > discovered.length,
      saved: null,
      added: discovered.filter((m) => !before.includes(m)),
      removed: before.filter((m) => !discovered.includes(m)),
    };
  }

  const next =
    input.apply === "replace"
      ? discovered
      : [...before, ...discovered.filter((m) => !before.includes(m))].slice(
          0,
          PROVIDER_LIMITS.modelsMax,
        );
  const added = next.filter((m) => !before.includes(m));
  const removed = before.filter((m) => !next.includes(m));
  const savedId = target.savedId;
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(orgProviders)
      .set({ models: next, updatedAt: new Date() })
      .where(and(eq(orgProviders.id, savedId), eq(orgProviders.orgId, orgId)))
      .returning({ id: orgProviders.id, name: orgProviders.name });
    if (!row) throw new DomainError("NOT_FOUND", "No provider with that id in this organization.");
    await recordAuditEvent(tx, {
      orgId,
      actor: args.actor,
      action: "provider.discover_models",
      targetType: "provider",
      targetId: row.id,
      summary: `Discovered models of provider ${row.name} (${input.apply}: +${added.length} −${removed.length})`,
      changes: {
        mode: input.apply,
        count: next.length,
        added: added.slice(0, 50),
        removed: removed.slice(0, 50),
      },
    });
  });
  invalidateOrgProviders(orgId);
  return { discovered, truncated: all.length > discovered.length, saved: next, added, removed };
}
