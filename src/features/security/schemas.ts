import { z } from "zod";

export const SECURITY_RANGES = ["24h", "7d", "30d"] as const;
export type SecurityRange = (typeof SECURITY_RANGES)[number];

export const securityOverviewInput = z.object({
  range: z.enum(SECURITY_RANGES).default("7d"),
});

/**
 * How a request counts on the security view:
 * - blocked: a guardrail policy refused it (`guardrail_action = block`);
 * - flagged: a guardrail matched and flagged, masked, redacted or rerouted it;
 * - denied: the gateway refused it for access reasons — the key may not use that endpoint or
 *   model (403), or the upstream address is private (SSRF guard).
 */
export type SecurityOutcome = "blocked" | "flagged" | "denied";

/** Error codes of access refusals (403) recorded in the request log. */
export const ACCESS_DENIAL_CODES = ["endpoint_not_allowed", "model_not_allowed"] as const;

/** What the connect-time address guard says (src/providers/http/upstream-errors.ts). */
export const PRIVATE_UPSTREAM_MESSAGE = "not a public address";
