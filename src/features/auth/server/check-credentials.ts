import { and, count, eq, gte } from "drizzle-orm";
import type { Db } from "~/server/db";
import { signInAttempts, users } from "~/server/db/schema";
import { newId } from "~/lib/ids";
import { DUMMY_HASH, verifyPassword } from "./password";

export interface ThrottleSettings {
  maxFailures: number;
  windowMinutes: number;
}

export type CredentialsResult =
  | { ok: true; user: { id: string; email: string; name: string | null } }
  | { ok: false; reason: "invalid" | "throttled" };

/** Failures allowed per IP are a multiple of the per-email limit (many users can share a NAT). */
const IP_FACTOR = 4;

/**
 * Checks email + password with brute-force protection: after `maxFailures` failures for an
 * email (or 4× that from one IP) within the window, sign-in is refused until the window passes.
 * Attempts live in the database, so the limit holds across instances.
 */
export async function checkCredentials(
  db: Db,
  input: { email: string; password: string; ip: string | null },
  throttle: ThrottleSettings,
): Promise<CredentialsResult> {
  const email = input.email.trim().toLowerCase();
  const since = new Date(Date.now() - throttle.windowMinutes * 60_000);
  const [byEmail] = await db
    .select({ n: count() })
    .from(signInAttempts)
    .where(
      and(
        eq(signInAttempts.email, email),
        eq(signInAttempts.success, false),
        gte(signInAttempts.createdAt, since),
      ),
    );
  let throttled = (byEmail?.n ?? 0) >= throttle.maxFailures;
  if (!throttled && input.ip) {
    const [byIp] = await db
      .select({ n: count() })
      .from(signInAttempts)
      .where(
        and(
          eq(signInAttempts.ip, input.ip),
          eq(signInAttempts.success, false),
          gte(signInAttempts.createdAt, since),
        ),
      );
    throttled = (byIp?.n ?? 0) >= throttle.maxFailures * IP_FACTOR;
  }
  if (throttled) return { ok: false, reason: "throttled" };

  const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  const valid = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_HASH);
  const ok = Boolean(user?.passwordHash) && valid;
  await db.insert(signInAttempts).values({ id: newId("att"), email, ip: input.ip, success: ok });
  if (!ok || !user) return { ok: false, reason: "invalid" };
  return { ok: true, user: { id: user.id, email: user.email, name: user.name } };
}
