/** A client-sent id is kept when it is short and made of characters safe to log and echo. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:+=/-]{1,128}$/;

/** The id this request is known by: the client's `x-request-id` when acceptable, else a fresh one. */
export function requestIdFor(headers: Headers): string {
  const sent = headers.get("x-request-id");
  if (sent !== null && SAFE_REQUEST_ID.test(sent)) return sent;
  return `req_${crypto.randomUUID()}`;
}
