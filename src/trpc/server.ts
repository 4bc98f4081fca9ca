import { TRPCError } from "@trpc/server";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { env } from "~/env";
import { clientIp } from "~/lib/client-ip";
import { createCaller } from "~/server/api/root";
import { auth } from "~/server/auth";
import { getDb } from "~/server/db";

/** The signed-in user of this request, or null. */
export const getSessionUser = cache(async () => {
  const session = await auth();
  const user = session?.user;
  if (!user?.id || !user.email) return null;
  return { id: user.id, email: user.email, name: user.name ?? null };
});

/** Public base URL of this server as the browser sees it (for quickstarts and links). */
export const getPublicOrigin = cache(async (): Promise<string> => {
  const configured = env().SWITCHYARD_PUBLIC_URL;
  if (configured) return configured.replace(/\/+$/, "");
  const h = await headers();
  const host = h.get("x-forwarded-host") ?? h.get("host") ?? `localhost:${env().PORT}`;
  // The self-host server speaks plain HTTP; a TLS-terminating proxy in front says so in this header.
  const proto = h.get("x-forwarded-proto")?.split(",")[0]?.trim() || "http";
  return `${proto}://${host}`;
});

/**
 * A tRPC caller for server components, acting as the signed-in user: the same procedures (and the
 * same permission checks) the browser goes through, without an HTTP hop. One per request.
 */
export const getServerCaller = cache(async () => {
  const [user, db, requestHeaders, origin] = await Promise.all([
    getSessionUser(),
    getDb(),
    headers(),
    getPublicOrigin(),
  ]);
  return createCaller({ db, user, ip: clientIp(requestHeaders), origin });
});

/**
 * Runs a server-side tRPC call: a stale session goes to sign-in (coming back to `returnTo`), a
 * missing or foreign resource to the 404 page.
 */
export async function callOrRedirect<T>(fn: () => Promise<T>, returnTo?: string): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof TRPCError) {
      if (error.code === "UNAUTHORIZED") redirect(signInHref(returnTo));
      if (error.code === "NOT_FOUND") notFound();
    }
    throw error;
  }
}

export function signInHref(returnTo?: string): string {
  return returnTo ? `/sign-in?callbackUrl=${encodeURIComponent(returnTo)}` : "/sign-in";
}
