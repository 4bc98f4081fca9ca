/**
 * Cross-site request refusal for the console's state-changing endpoints (tRPC mutations and any
 * console POST route). Session cookies are SameSite=Lax, which already keeps them off most
 * cross-site POSTs; this is the second wall, for older browsers and same-site-but-cross-origin
 * attackers (another app on a sibling subdomain). Auth.js checks its own routes with its CSRF token.
 *
 * A browser's request is cross-site when `Sec-Fetch-Site` says so, or, without that header, when
 * its `Origin` is not the origin the console was reached at. Requests with neither header are
 * not from a browser page (scripts, the CLI, server-to-server) and carry no ambient cookies to
 * abuse, so they pass.
 */

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export interface SameOriginOptions {
  /** SWITCHYARD_PUBLIC_URL: the console's public origin when it is served behind a proxy. */
  publicUrl?: string;
}

/** The origins this request may come from: the Host it was sent to (as http and https) and the public URL. */
function allowedOrigins(headers: Headers, options: SameOriginOptions): Set<string> {
  const allowed = new Set<string>();
  const hosts = [headers.get("x-forwarded-host"), headers.get("host")];
  for (const value of hosts) {
    const host = value?.split(",")[0]?.trim().toLowerCase();
    if (!host) continue;
    allowed.add(`http://${host}`);
    allowed.add(`https://${host}`);
  }
  if (options.publicUrl) {
    try {
      allowed.add(new URL(options.publicUrl).origin.toLowerCase());
    } catch {
      // env.ts validates it; nothing to add otherwise.
    }
  }
  return allowed;
}

/** Why a request must be refused as cross-site, or null when it may proceed. */
export function crossSiteRefusal(
  method: string,
  headers: Headers,
  options: SameOriginOptions = {},
): string | null {
  if (SAFE_METHODS.has(method.toUpperCase())) return null;
  const site = headers.get("sec-fetch-site")?.toLowerCase();
  // `none`: typed into the address bar or a bookmark, i.e. the user themself.
  if (site !== undefined && site !== "same-origin" && site !== "none") {
    return `Cross-site request refused (Sec-Fetch-Site: ${site}).`;
  }
  const origin = headers.get("origin");
  if (origin === null) return null;
  if (origin === "null") return "Cross-site request refused (opaque origin).";
  if (!allowedOrigins(headers, options).has(origin.toLowerCase())) {
    return "Cross-site request refused: the request's Origin is not this console.";
  }
  return null;
}

/** A 403 JSON answer for a refused request (tRPC clients show its message). */
export function crossSiteResponse(reason: string): Response {
  return Response.json(
    { error: { message: reason, code: "FORBIDDEN", data: { code: "FORBIDDEN", httpStatus: 403 } } },
    { status: 403, headers: { "cache-control": "no-store" } },
  );
}
