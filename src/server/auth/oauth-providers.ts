import { env } from "~/env";

/** Which OAuth/OIDC sign-in methods are configured (for the sign-in page). */
export function oauthProviders(): { id: string; name: string }[] {
  const e = env();
  const list: { id: string; name: string }[] = [];
  if (e.AUTH_GITHUB_ID && e.AUTH_GITHUB_SECRET) list.push({ id: "github", name: "GitHub" });
  if (e.AUTH_OIDC_ISSUER && e.AUTH_OIDC_ID && e.AUTH_OIDC_SECRET)
    list.push({ id: "oidc", name: e.AUTH_OIDC_NAME });
  return list;
}
