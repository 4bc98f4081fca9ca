import { and, eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { orgProviders } from "~/server/db/schema";
import type { Actor } from "~/server/domain/actor";
import { DomainError } from "~/server/domain/domain-error";
import { recordAuditEvent } from "~/features/audit/server/record-audit-event";
import { invalidateOrgProviders } from "~/server/providers/provider-directory";
import { sealProviderApiKey } from "~/server/providers/provider-secrets";
import type { UpdateProviderInput } from "../schemas";
import {
  assertKnownType,
  assertNameAvailable,
  assertUpstreamAllowed,
  isNameConflict,
  optionsKeptFor,
  resolveProviderOptions,
  upstreamPolicy,
  type UpstreamPolicy,
} from "./provider-rules";
import { KEY_ORIGIN_MESSAGE, sameOrigin } from "./stored-key-origin";
import { toOrgProviderView, type OrgProviderView } from "./provider-view";

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Changes an org provider. Fields left out stay as they are; `apiKey: null` removes the key. */
export async function updateProvider(
  db: Db,
  args: {
    orgId: string;
    actor: Actor;
    input: UpdateProviderInput;
    policy?: Partial<UpstreamPolicy>;
  },
): Promise<OrgProviderView> {
  const { input, orgId } = args;
  if (input.type !== undefined) assertKnownType(input.type);
  if (input.baseUrl !== undefined)
    await assertUpstreamAllowed(input.baseUrl, upstreamPolicy(args.policy), "save");
  const row = await db
    .transaction(async (tx) => {
      const [current] = await tx
        .select()
        .from(orgProviders)
        .where(and(eq(orgProviders.id, input.id), eq(orgProviders.orgId, orgId)));
      if (!current)
        throw new DomainError("NOT_FOUND", "No provider with that id in this organization.");

      const changes: Record<string, unknown> = {};
      const set: Partial<typeof orgProviders.$inferInsert> = {};
      if (input.name !== undefined && input.name !== current.name) {
        await assertNameAvailable(tx, orgId, input.name, current.id);
        set.name = changes.name = input.name;
      }
      if (input.type !== undefined && input.type !== current.type)
        set.type = changes.type = input.type;
      if (input.baseUrl !== undefined && input.baseUrl !== current.baseUrl) {
        if (
          current.apiKeyEncrypted &&
          input.apiKey === undefined &&
          !sameOrigin(current.baseUrl, input.baseUrl)
        ) {
          throw new DomainError("BAD_REQUEST", KEY_ORIGIN_MESSAGE);
        }
        set.baseUrl = changes.baseUrl = input.baseUrl;
      }
      if (input.apiKey === null && current.apiKeyEncrypted) {
        set.apiKeyEncrypted = null;
        set.apiKeyLast4 = null;
        changes.apiKey = "removed";
      } else if (typeof input.apiKey === "string") {
        set.apiKeyEncrypted = sealProviderApiKey(input.apiKey, { orgId, providerId: current.id });
        set.apiKeyLast4 = input.apiKey.slice(-4);
        changes.apiKey = "replaced";
      }
      if (input.headers !== undefined && !sameJson(input.headers, current.headers)) {
        set.headers = input.headers;
        changes.headers = Object.keys(input.headers);
      }
      if (input.models !== undefined && !sameJson(input.models, current.models)) {
        set.models = input.models;
        changes.models = {
          count: input.models.length,
          added: input.models.filter((m) => !current.models.includes(m)).slice(0, 50),
          removed: current.models.filter((m) => !input.models!.includes(m)).slice(0, 50),
        };
      }
      if (input.timeouts !== undefined && !sameJson(input.timeouts, current.timeouts)) {
        set.timeouts = changes.timeouts = input.timeouts;
      }
      if (input.priority !== undefined && input.priority !== current.priority) {
        set.priority = changes.priority = input.priority;
      }
      // Checked against the type the provider will have; a new type keeps only what it takes.
      const type = input.type ?? current.type;
      const options =
        input.options !== undefined
          ? resolveProviderOptions(type, input.options)
          : optionsKeptFor(type, current.options);
      if (!sameJson(options, current.options ?? null)) {
        set.options = options;
        changes.options = options ?? {};
      }
      if (Object.keys(set).length === 0) return current;

      // A different upstream: the last test said nothing about it.
      if (
        set.type !== undefined ||
        set.baseUrl !== undefined ||
        set.options !== undefined ||
        set.apiKeyEncrypted !== undefined
      ) {
        set.lastTestedAt = null;
        set.lastTestOk = null;
      }
      const [updated] = await tx
        .update(orgProviders)
        .set({ ...set, updatedAt: new Date() })
        .where(and(eq(orgProviders.id, current.id), eq(orgProviders.orgId, orgId)))
        .returning();
      await recordAuditEvent(tx, {
        orgId,
        actor: args.actor,
        action: "provider.update",
        targetType: "provider",
        targetId: current.id,
        summary: `Updated provider ${updated!.name} (${Object.keys(changes).join(", ")})`,
        changes,
      });
      return updated!;
    })
    .catch((err: unknown) => {
      if (isNameConflict(err)) {
        throw new DomainError(
          "CONFLICT",
          `This organization already has a provider named "${input.name}".`,
        );
      }
      throw err;
    });
  invalidateOrgProviders(orgId);
  return toOrgProviderView(row);
}
