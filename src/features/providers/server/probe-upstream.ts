import { and, eq } from "drizzle-orm";
import { ProviderError, type ProviderConfig } from "~/providers/types";
import type { Db } from "~/server/db";
import { orgProviders } from "~/server/db/schema";
import { DomainError } from "~/server/domain/domain-error";
import { listUpstreamModels } from "~/server/providers/provider-adapters";
import { openProviderApiKey } from "~/server/providers/provider-secrets";
import { mergeTimeouts, providerSettings } from "~/server/providers/provider-settings";
import type { ProbeProviderInput } from "../schemas";
import {
  assertKnownType,
  assertUpstreamAllowed,
  optionsKeptFor,
  resolveProviderOptions,
  upstreamPolicy,
  type UpstreamPolicy,
} from "./provider-rules";
import { KEY_ORIGIN_MESSAGE, sameOrigin } from "./stored-key-origin";

/**
 * Shared by "test connection" and "discover models": which upstream to call (a saved provider,
 * a draft from the form, or a saved one with unsaved edits) and one bounded `listModels` call.
 */

/** A probe answers within this, whatever the provider's own timeouts say. */
export const PROBE_TIMEOUT_MS = 10_000;

export interface ProbeTarget {
  config: ProviderConfig;
  /** The saved provider's id when probing exactly what is saved (then results may be recorded). */
  savedId: string | null;
  savedModels: string[] | null;
  savedName: string | null;
}

export async function resolveProbeTarget(
  db: Db,
  args: { orgId: string; input: ProbeProviderInput; policy?: Partial<UpstreamPolicy> },
): Promise<ProbeTarget> {
  const { input, orgId } = args;
  const row = input.id
    ? (
        await db
          .select()
          .from(orgProviders)
          .where(and(eq(orgProviders.id, input.id), eq(orgProviders.orgId, orgId)))
      )[0]
    : undefined;
  if (input.id && !row)
    throw new DomainError("NOT_FOUND", "No provider with that id in this organization.");
  const draft = input.draft;
  if (draft) assertKnownType(draft.type);
  const type = draft?.type ?? row!.type;
  const baseURL = draft?.baseUrl ?? row!.baseUrl;
  // A draft without options keeps the saved provider's (those its type takes).
  const options = draft
    ? resolveProviderOptions(type, draft.options ?? optionsKeptFor(type, row?.options ?? null))
    : (row!.options ?? null);

  let apiKey: string | undefined = draft?.apiKey;
  if (apiKey === undefined && row?.apiKeyEncrypted) {
    if (!sameOrigin(row.baseUrl, baseURL)) throw new DomainError("BAD_REQUEST", KEY_ORIGIN_MESSAGE);
    try {
      apiKey = openProviderApiKey(row.apiKeyEncrypted, { orgId, providerId: row.id });
    } catch {
      throw new DomainError(
        "PRECONDITION_FAILED",
        "The stored API key cannot be decrypted (the instance encryption key changed?). Enter the key again.",
      );
    }
  }
  const policy = upstreamPolicy(args.policy);
  await assertUpstreamAllowed(baseURL, policy, "call");
  const base = mergeTimeouts(providerSettings().timeouts, row?.timeouts);
  return {
    config: {
      id: row?.name ?? "draft",
      type,
      baseURL,
      ...(apiKey !== undefined ? { apiKey } : {}),
      headers: draft?.headers ?? row?.headers ?? {},
      ...(options ? { options } : {}),
      // Checked just above, and again on connect: the name may resolve elsewhere meanwhile.
      ...(policy.allowPrivate ? {} : { publicAddressesOnly: true }),
      timeouts: {
        connectMs: Math.min(base.connectMs, PROBE_TIMEOUT_MS),
        firstByteMs: PROBE_TIMEOUT_MS,
        idleMs: PROBE_TIMEOUT_MS,
        totalMs: PROBE_TIMEOUT_MS,
      },
      models: row?.models ?? [],
    },
    savedId: row && !draft ? row.id : null,
    savedModels: row?.models ?? null,
    savedName: row?.name ?? null,
  };
}

export type ProbeOutcome =
  | { ok: true; models: string[]; latencyMs: number }
  | { ok: false; message: string; status: number | null; latencyMs: number };

/** A message about a failed call that is safe to show and store: bounded, never the key. */
function describeFailure(
  err: unknown,
  apiKey: string | undefined,
): { message: string; status: number | null } {
  let message: string;
  let status: number | null = null;
  if (err instanceof ProviderError) {
    status = err.kind === "http" ? err.status : null;
    message =
      err.kind === "timeout"
        ? `No answer within ${PROBE_TIMEOUT_MS / 1000} s.`
        : err.kind === "http"
          ? `HTTP ${err.status}: ${err.message}`
          : err.message;
  } else if (err instanceof Error && err.name === "AbortError") {
    message = `No answer within ${PROBE_TIMEOUT_MS / 1000} s.`;
  } else {
    message = err instanceof Error ? err.message : String(err);
  }
  if (apiKey && apiKey.length >= 8) message = message.split(apiKey).join(`…${apiKey.slice(-4)}`);
  return {
    message: message.replace(/\s+/g, " ").trim().slice(0, 300) || "The upstream call failed.",
    status,
  };
}

/** One `listModels` call through the provider's adapter, bounded by PROBE_TIMEOUT_MS. Never throws. */
export async function probeUpstream(config: ProviderConfig): Promise<ProbeOutcome> {
  const started = performance.now();
  const signal = AbortSignal.timeout(PROBE_TIMEOUT_MS);
  try {
    const listing = await listUpstreamModels(config, signal);
    const models = [
      ...new Set(listing.map((m) => m.id).filter((id) => typeof id === "string" && id.length > 0)),
    ];
    return { ok: true, models, latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    const failure = signal.aborted
      ? { message: `No answer within ${PROBE_TIMEOUT_MS / 1000} s.`, status: null }
      : describeFailure(err, config.apiKey);
    return { ok: false, ...failure, latencyMs: Math.round(performance.now() - started) };
  }
}
