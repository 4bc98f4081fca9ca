import { initTRPC, TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import superjson from "superjson";
import { z, ZodError } from "zod";
import type { Db } from "~/server/db";
import { memberships, organizations, type Role } from "~/server/db/schema";
import { hasScope, type Scope } from "~/server/auth/scopes";
import { userActor, type Actor } from "~/server/domain/actor";
import { DomainError } from "~/server/domain/domain-error";

export interface SessionUser {
  id: string;
  email: string;
  name?: string | null;
}

export interface TRPCContext {
  db: Db;
  user: SessionUser | null;
  /** Client IP when known (for throttling and audit). */
  ip: string | null;
  /** Origin the console was reached at, for links (invites) when SWITCHYARD_PUBLIC_URL is unset. */
  origin: string | null;
}

const t = initTRPC.context<TRPCContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    return {
      ...shape,
      data: {
        ...shape.data,
        // Field errors for forms; never stack traces.
        zodError: error.cause instanceof ZodError ? z.flattenError(error.cause) : null,
        stack: undefined,
      },
    };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Domain errors become TRPCErrors with the same code; anything else is a real 500. */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof DomainError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: cause.code, message: cause.message, cause });
  }
  return result;
});

export const publicProcedure = t.procedure.use(domainErrors);

export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first." });
  return next({ ctx: { ...ctx, user: ctx.user, actor: userActor(ctx.user) as Actor } });
});

export const orgSlugSchema = z.string().trim().min(1).max(64);

export interface OrgContext {
  org: { id: string; slug: string; name: string };
  role: Role;
}

/**
 * Every org-scoped resolver goes through here: it loads the caller's membership in the org named
 * by `orgSlug`. A non-member gets NOT_FOUND, so org existence does not leak across tenants.
 */
export const orgProcedure = protectedProcedure
  .input(z.object({ orgSlug: orgSlugSchema }))
  .use(async ({ ctx, input, next }) => {
    const [row] = await ctx.db
      .select({
        id: organizations.id,
        slug: organizations.slug,
        name: organizations.name,
        role: memberships.role,
      })
      .from(organizations)
      .innerJoin(memberships, eq(memberships.orgId, organizations.id))
      .where(and(eq(organizations.slug, input.orgSlug), eq(memberships.userId, ctx.user.id)))
      .limit(1);
    if (!row) throw new TRPCError({ code: "NOT_FOUND", message: "Organization not found." });
    const orgCtx: OrgContext = {
      org: { id: row.id, slug: row.slug, name: row.name },
      role: row.role,
    };
    return next({ ctx: { ...ctx, ...orgCtx } });
  });

/** `orgProcedure` that also requires one scope of the caller's role. */
export function scopedProcedure(scope: Scope) {
  return orgProcedure.use(({ ctx, next }) => {
    if (!hasScope(ctx.role, scope)) {
      throw new TRPCError({
        code: "FORBIDDEN",
        message: `Your role (${ctx.role}) does not allow ${scope}.`,
      });
    }
    return next();
  });
}
