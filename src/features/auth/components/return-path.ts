/**
 * A same-origin path to return to after signing in, or null. Absolute and protocol-relative URLs
 * are refused so the sign-in page cannot be used as an open redirect.
 */
export function safeReturnPath(value: string | string[] | undefined | null): string | null {
  const path = Array.isArray(value) ? value[0] : value;
  if (!path || !path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\"))
    return null;
  return path;
}
