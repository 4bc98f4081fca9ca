import { and, eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { orgProviders } from "~/server/db/schema";
import type { ProbeProviderInput } from "../schemas";
import { probeUpstream, resolveProbeTarget } from "./probe-upstream";
import type { UpstreamPolicy } from "./provider-rules";
import { encodeTestResult } from "./provider-view";

export interface ConnectionTestResult {
  ok: boolean;
  /** Why it failed, or how many models the upstream listed. */
  message: string;
  /** The upstream's HTTP status when it answered with an error. */
  status: number | null;
  modelCount: number | null;
  latencyMs: number;
  testedAt: Date;
  /** Whether the result was saved on the provider (only when testing its saved configuration). */
  recorded: boolean;
}

/**
 * Calls the upstream's model listing with a short timeout. Testing a saved provider as saved
 * records the outcome (`lastTestedAt`, `lastTestOk`); testing a draft does not.
 */
export async function testProviderConnection(
  db: Db,
  args: { orgId: string; input: ProbeProviderInput; policy?: Partial<UpstreamPolicy> },
): Promise<ConnectionTestResult> {
  const target = await resolveProbeTarget(db, args);
  const outcome = await probeUpstream(target.config);
  const testedAt = new Date();
  const result: ConnectionTestResult = outcome.ok
    ? {
        ok: true,
        message: `Connected: ${outcome.models.length} model${outcome.models.length === 1 ? "" : "s"} listed.`,
        status: null,
        modelCount: outcome.models.length,
        latencyMs: outcome.latencyMs,
        testedAt,
        recorded: false,
      }
    : {
        ok: false,
        message: outcome.message,
        status: outcome.status,
        modelCount: null,
        latencyMs: outcome.latencyMs,
        testedAt,
        recorded: false,
      };
  if (target.savedId) {
    const updated = await db
      .update(orgProviders)
      .set({
        lastTestedAt: testedAt,
        lastTestOk: encodeTestResult(result.ok, result.ok ? null : result.message),
      })
      .where(and(eq(orgProviders.id, target.savedId), eq(orgProviders.orgId, args.orgId)))
      .returning({ id: orgProviders.id });
    result.recorded = updated.length === 1;
  }
  return result;
}
