import { and, eq, ne } from "drizzle-orm";
import { randomBase62 } from "~/lib/ids";
import type { Db } from "~/server/db";
import { orgProviders } from "~/server/db/schema";
import { DomainError } from "~/server/domain/domain-error";
import { sharedInstanceProviders } from "~/server/providers/instance-providers";
import { isKnownProviderType, knownProviderTypes } from "~/server/providers/provider-adapters";
import { providerSettings, RESERVED_PROVIDER_IDS } from "~/server/providers/provider-settings";
import { checkProviderOptions, optionFieldsFor } from "../schemas";
import {
  checkUpstreamUrl,
  UpstreamAddressError,
  type HostResolver,
} from "~/server/providers/upstream-address-policy";

/** Checks shared by the provider domain functions (not domain functions themselves). */

/** How upstream base URLs are vetted; defaults come from the instance settings. */
export interface UpstreamPolicy {
  allowPrivate: boolean;
  resolve?: HostResolver;
}

export function upstreamPolicy(override?: Partial<UpstreamPolicy>): UpstreamPolicy {
  return { allowPrivate: providerSettings().allowPrivateUpstreams, ...override };
}

export function assertKnownType(type: string): void {
  if (!isKnownProviderType(type)) {
    throw new DomainError(
      "BAD_REQUEST",
      `Unknown provider type "${type.slice(0, 64)}". Known types: ${knownProviderTypes().join(", ")}.`,
    );
  }
}

/**
 * The options to store for a provider of `type`: empty values dropped, null when none are left.
 * A key the type does not take, or a value its rule refuses, is a BAD_REQUEST.
 */
export function resolveProviderOptions(
  type: string,
  options: Readonly<Record<string, string>> | null | undefined,
): Record<string, string> | null {
  const checked = checkProviderOptions(type, options ?? {});
  if (!checked.ok) throw new DomainError("BAD_REQUEST", checked.error);
  return Object.keys(checked.options).length > 0 ? checked.options : null;
}

/** The stored options a provider keeps when its type changes: only those the new type takes. */
export function optionsKeptFor(
  type: string,
  options: Readonly<Record<string, string>> | null,
): Record<string, string> | null {
  const keys = new Set(optionFieldsFor(type).map((f) => f.key));
  const kept = Object.entries(options ?? {}).filter(([key]) => keys.has(key));
  return kept.length > 0 ? Object.fromEntries(kept) : null;
}

/** Instance provider ids (configured or not) and the org's other providers' names are taken. */
export async function assertNameAvailable(
  db: Db,
  orgId: string,
  name: string,
  exceptId?: string,
): Promise<void> {
  if (RESERVED_PROVIDER_IDS.includes(name) || sharedInstanceProviders().ids().includes(name)) {
    throw new DomainError(
      "BAD_REQUEST",
      `"${name}" is the name of an instance-wide provider; choose another name.`,
    );
  }
  const [taken] = await db
    .select({ id: orgProviders.id })
    .from(orgProviders)
    .where(
      and(
        eq(orgProviders.orgId, orgId),
        eq(orgProviders.name, name),
        exceptId ? ne(orgProviders.id, exceptId) : undefined,
      ),
    )
    .limit(1);
  if (taken)
    throw new DomainError("CONFLICT", `This organization already has a provider named "${name}".`);
}

/**
 * Refuses base URLs pointing inside the instance's network (unless allowed). When saving, a name
 * that does not resolve yet is accepted (it is checked again before every call); when about to
 * call it, it must resolve to public addresses.
 */
export async function assertUpstreamAllowed(
  baseUrl: string,
  policy: UpstreamPolicy,
  moment: "save" | "call",
): Promise<void> {
  try {
    await checkUpstreamUrl(baseUrl, {
      allowPrivate: policy.allowPrivate,
      resolve: policy.resolve,
      unresolvable: moment === "save" ? "allow" : "refuse",
    });
  } catch (err) {
    if (err instanceof UpstreamAddressError) throw new DomainError("BAD_REQUEST", err.message);
    throw err;
  }
}

/** Whether a failed write was the (org, name) unique index deciding a race. */
export function isNameConflict(err: unknown): boolean {
  const texts: string[] = [];
  for (
    let e = err as
        | { message?: unknown; cause?: unknown; constraint_name?: unknown; constraint?: unknown }
        | undefined,
      i = 0;
    e && i < 4;
    e = e.cause as typeof e, i++
  ) {
    texts.push(
      String(e.message ?? ""),
      String(e.constraint_name ?? ""),
      String(e.constraint ?? ""),
    );
  }
  return texts.some((t) => t.includes("org_providers_org_name_idx"));
}

export function newProviderId(): string {
  return `prv_${randomBase62(20)}`;
}
