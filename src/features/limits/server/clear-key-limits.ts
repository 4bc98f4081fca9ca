import type { Db } from "~/server/db";
import type { Actor } from "~/server/domain/actor";
import type { KeyLimitView } from "./key-limit-view";
import { setKeyLimits } from "./set-key-limits";

/** Removes a key's tier, own limits and cache TTL (its budgets are separate and stay). */
export function clearKeyLimits(
  db: Db,
  args: { orgId: string; actor: Actor; input: { keyId: string } },
): Promise<KeyLimitView> {
  return setKeyLimits(db, {
    ...args,
    input: {
      keyId: args.input.keyId,
      tierId: null,
      rpm: null,
      tpm: null,
      rpd: null,
      concurrent: null,
      cacheTtlSeconds: null,
    },
  });
}
