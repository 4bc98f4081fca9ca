import { getDb } from "~/server/db";
import { clientIp } from "~/lib/client-ip";
import { apiKeysRouter } from "~/features/api-keys/server/router";
import { auditRouter } from "~/features/audit/server/router";
import { authRouter, meRouter, systemRouter } from "~/features/auth/server/router";
import { invitesRouter, membersRouter } from "~/features/members/server/router";
import { orgsRouter } from "~/features/orgs/server/router";
import { limitsRouter } from "~/features/limits/server/router";
import { logsRouter } from "~/features/logs/server/router";
import { modelPricesRouter } from "~/features/pricing/server/router";
import { providersRouter } from "~/features/providers/server/router";
import { routesRouter } from "~/features/routes/server/router";
import { policiesRouter } from "~/features/policies/server/router";
import { usageRouter } from "~/features/usage/server/router";
import { knowledgeRouter } from "~/features/knowledge/server/router";
import { jobsRouter } from "~/features/jobs/server/router";
import { securityRouter } from "~/features/security/server/router";
import { createCallerFactory, createTRPCRouter, type SessionUser, type TRPCContext } from "./trpc";

export const appRouter = createTRPCRouter({
  auth: authRouter,
  me: meRouter,
  system: systemRouter,
  orgs: orgsRouter,
  members: membersRouter,
  invites: invitesRouter,
  apiKeys: apiKeysRouter,
  audit: auditRouter,
  logs: logsRouter,
  limits: limitsRouter,
  modelPrices: modelPricesRouter,
  providers: providersRouter,
  routes: routesRouter,
  policies: policiesRouter,
  usage: usageRouter,
  knowledge: knowledgeRouter,
  jobs: jobsRouter,
  security: securityRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);

/** tRPC context for an HTTP request: the Auth.js session's user, the database, the client IP. */
export async function createTRPCContextFromRequest(req: Request): Promise<TRPCContext> {
  const { auth } = await import("~/server/auth");
  const session = await auth();
  const user: SessionUser | null =
    session?.user?.id && session.user.email
      ? { id: session.user.id, email: session.user.email, name: session.user.name }
      : null;
  const origin = req.headers.get("origin") ?? new URL(req.url).origin;
  return { db: await getDb(), user, ip: clientIp(req.headers), origin };
}
