/** A client-sent id is kept when it is short and made of characters safe to log and echo. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:+=/-]{1,128}$/;

/** The client's `x-request-id` when acceptable (echoed back and sent upstream), else null. */
export function clientRequestId(headers: Headers): string | null {
  const sent = headers.get("x-request-id");
  return sent !== null && SAFE_REQUEST_ID.test(sent) ? sent : null;
}

/** A fresh id of Switchyard's own (also the request-log row id). */
export function newRequestId(): string {
  return `req_${crypto.randomUUID()}`;
}

/** The id this request is known by: the client's `x-request-id` when acceptable, else a fresh one. */
export function requestIdFor(headers: Headers): string {
  return clientRequestId(headers) ?? newRequestId();
}
