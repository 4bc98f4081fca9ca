import type { Db } from "~/server/db";
import { orgProviders } from "~/server/db/schema";
import type { Actor } from "~/server/domain/actor";
import { DomainError } from "~/server/domain/domain-error";
import { recordAuditEvent } from "~/features/audit/server/record-audit-event";
import { invalidateOrgProviders } from "~/server/providers/provider-directory";
import { sealProviderApiKey } from "~/server/providers/provider-secrets";
import type { CreateProviderInput } from "../schemas";
import {
  assertKnownType,
  assertNameAvailable,
  assertUpstreamAllowed,
  isNameConflict,
  newProviderId,
  resolveProviderOptions,
  upstreamPolicy,
  type UpstreamPolicy,
} from "./provider-rules";
import { toOrgProviderView, type OrgProviderView } from "./provider-view";

/** Adds an upstream to the org. The API key is stored encrypted; only its last 4 characters are ever shown. */
export async function createProvider(
  db: Db,
  args: {
    orgId: string;
    actor: Actor;
    input: CreateProviderInput;
    policy?: Partial<UpstreamPolicy>;
  },
): Promise<OrgProviderView> {
  const { input } = args;
  assertKnownType(input.type);
  const options = resolveProviderOptions(input.type, input.options);
  await assertUpstreamAllowed(input.baseUrl, upstreamPolicy(args.policy), "save");
  const id = newProviderId();
  const row = await db
    .transaction(async (tx) => {
      await assertNameAvailable(tx, args.orgId, input.name);
      const [inserted] = await tx
        .insert(orgProviders)
        .values({
          id,
          orgId: args.orgId,
          name: input.name,
          type: input.type,
          baseUrl: input.baseUrl,
          apiKeyEncrypted: input.apiKey
            ? sealProviderApiKey(input.apiKey, { orgId: args.orgId, providerId: id })
            : null,
          apiKeyLast4: input.apiKey ? input.apiKey.slice(-4) : null,
          headers: input.headers ?? {},
          models: input.models ?? [],
          timeouts: input.timeouts ?? {},
          priority: input.priority ?? 100,
          options,
        })
        .returning();
      await recordAuditEvent(tx, {
        orgId: args.orgId,
        actor: args.actor,
        action: "provider.create",
        targetType: "provider",
        targetId: id,
        summary: `Added provider ${input.name} (${input.type}, ${new URL(input.baseUrl).host})`,
        // Never the key: only whether there is one.
        changes: {
          name: input.name,
          type: input.type,
          baseUrl: input.baseUrl,
          apiKey: input.apiKey ? "set" : "none",
          headers: Object.keys(input.headers ?? {}),
          models: (input.models ?? []).length,
          timeouts: input.timeouts ?? {},
          priority: input.priority ?? 100,
          options: options ?? {},
        },
      });
      return inserted!;
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
  invalidateOrgProviders(args.orgId);
  return toOrgProviderView(row);
}
