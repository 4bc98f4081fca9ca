import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import type { Provider } from "next-auth/providers";
import { env } from "~/env";
import { clientIp } from "~/lib/client-ip";
import { getDb } from "~/server/db";
import { signInInput } from "~/features/auth/schemas";
import { checkCredentials } from "~/features/auth/server/check-credentials";
import { findOrCreateOAuthUser } from "~/features/auth/server/find-or-create-oauth-user";
export { oauthProviders } from "./oauth-providers";

class ThrottledSignIn extends CredentialsSignin {
  override code = "throttled";
}

function buildConfig(): NextAuthConfig {
  const e = env();
  const providers: Provider[] = [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(raw, request) {
        const parsed = signInInput.safeParse(raw);
        if (!parsed.success) return null;
        const result = await checkCredentials(
          await getDb(),
          { ...parsed.data, ip: clientIp(request.headers) },
          {
            maxFailures: e.SWITCHYARD_SIGNIN_MAX_FAILURES,
            windowMinutes: e.SWITCHYARD_SIGNIN_WINDOW_MINUTES,
          },
        );
        if (!result.ok) {
          if (result.reason === "throttled") throw new ThrottledSignIn();
          return null;
        }
        return result.user;
      },
    }),
  ];
  if (e.AUTH_GITHUB_ID && e.AUTH_GITHUB_SECRET) {
    providers.push(GitHub({ clientId: e.AUTH_GITHUB_ID, clientSecret: e.AUTH_GITHUB_SECRET }));
  }
  if (e.AUTH_OIDC_ISSUER && e.AUTH_OIDC_ID && e.AUTH_OIDC_SECRET) {
    providers.push({
      id: "oidc",
      name: e.AUTH_OIDC_NAME,
      type: "oidc",
      issuer: e.AUTH_OIDC_ISSUER,
      clientId: e.AUTH_OIDC_ID,
      clientSecret: e.AUTH_OIDC_SECRET,
    });
  }
  return {
    secret: e.AUTH_SECRET,
    trustHost: true,
    session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers,
    callbacks: {
      async jwt({ token, user, account, profile }) {
        if (account && account.provider !== "credentials") {
          // OAuth/OIDC: map the verified email to a Switchyard user (created on first sign-in).
          const email = (profile?.email ?? user?.email ?? "").toLowerCase();
          if (!email) throw new Error("The identity provider did not return an email address.");
          const local = await findOrCreateOAuthUser(await getDb(), {
            email,
            name: (profile?.name as string | undefined) ?? user?.name ?? null,
          });
          token.uid = local.id;
          token.email = local.email;
        } else if (user?.id) {
          token.uid = user.id;
          token.email = user.email;
        }
        return token;
      },
      session({ session, token }) {
        if (token.uid) session.user.id = token.uid as string;
        return session;
      },
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => buildConfig());
