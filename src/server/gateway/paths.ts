/**
 * Which requests the one-process server hands straight to the gateway core instead of Next.js.
 * Works on the raw request target (`req.url`: path plus query) without parsing it.
 */

/** `/v1`, `/v1/…` and `/v1?…`, not `/v1beta` or `/v10`. */
export function isApiPath(url: string): boolean {
  if (!url.startsWith("/v1")) return false;
  const next = url.charCodeAt(3);
  return Number.isNaN(next) || next === 47 /* / */ || next === 63; /* ? */
}

/** `/healthz` and `/readyz`, with or without a query string. */
export function isHealthPath(url: string): boolean {
  return (
    url === "/healthz" ||
    url === "/readyz" ||
    url.startsWith("/healthz?") ||
    url.startsWith("/readyz?")
  );
}

export interface PathRouting {
  /** SWITCHYARD_API_VIA_NEXT: /v1 goes through Next's route handlers (health stays direct). */
  apiViaNext: boolean;
  /** SWITCHYARD_SERVE_CONSOLE: without Next.js every path goes to the gateway. */
  serveConsole: boolean;
}

export function createGatewayPathMatcher(routing: PathRouting): (url: string) => boolean {
  if (!routing.serveConsole) return () => true;
  if (routing.apiViaNext) return isHealthPath;
  return (url) => isApiPath(url) || isHealthPath(url);
}
