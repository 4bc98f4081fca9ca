import type { HeaderSource } from "./inbound";
/** A client-sent id is kept when it is short and made of characters safe to log and echo. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:+=/-]{1,128}$/;

/** The client's `x-request-id` when acceptable (echoed back and sent upstream), else null. */
export function clientRequestId(headers: HeaderSource): string | null {
  const sent = headers.get("x-request-id");
  return sent !== null && SAFE_REQUEST_ID.test(sent) ? sent : null;
}

/**
 * A fresh id of Switchyard's own (also the request-log row id): a UUIDv7 layout — 48 bits of Unix
 * milliseconds, then random bits — so ids sort by time and the log table's primary-key index grows
 * at its right edge instead of taking random page writes all over (fewer pages touched per batch).
 */
export function newRequestId(): string {
  const random = crypto.randomUUID();
  const ms = Date.now().toString(16).padStart(12, "0");
  // random = xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx: keep its variant and random tail, set version 7.
  return `req_${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${random.slice(15)}`;
}

/** The id this request is known by: the client's `x-request-id` when acceptable, else a fresh one. */
export function requestIdFor(headers: HeaderSource): string {
  return clientRequestId(headers) ?? newRequestId();
}
