import { eq } from "drizzle-orm";
import type { Db } from "~/server/db";
import { users } from "~/server/db/schema";
import { DomainError } from "~/server/domain/domain-error";
import { newId } from "~/lib/ids";
import { hashPassword } from "./password";

export interface UserSummary {
  id: string;
  email: string;
  name: string | null;
}

/** Creates a user with an email + password. Input is already validated (see `signUpInput`). */
export async function createUser(
  db: Db,
  args: { input: { email: string; password: string; name?: string | null } },
): Promise<UserSummary> {
  const email = args.input.email.trim().toLowerCase();
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  if (existing) throw new DomainError("CONFLICT", "An account with this email already exists.");
  const user = { id: newId("usr"), email, name: args.input.name ?? null };
  try {
    await db.insert(users).values({ ...user, passwordHash: await hashPassword(args.input.password) });
  } catch (err) {
    if (String((err as Error).message).includes("users_email_unique")) {
      throw new DomainError("CONFLICT", "An account with this email already exists.");
    }
    throw err;
  }
  return user;
}
