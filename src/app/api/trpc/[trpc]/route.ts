import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { env } from "~/env";
import { logger } from "~/lib/logger";
import { crossSiteRefusal, crossSiteResponse } from "~/server/security/same-origin";
import { appRouter, createTRPCContextFromRequest } from "~/server/api/root";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

function handler(req: Request) {
  // Mutations are POSTs: refused when a browser sends them from another site.
  const refusal = crossSiteRefusal(req.method, req.headers, { publicUrl: env().SWITCHYARD_PUBLIC_URL });
  if (refusal) return crossSiteResponse(refusal);
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: () => createTRPCContextFromRequest(req),
    onError({ error, path }) {
      // Expected failures (validation, permissions, not found) are the caller's business.
      if (error.code === "INTERNAL_SERVER_ERROR") {
        logger.error(`tRPC ${path ?? "<unknown>"} failed`, {
          error:
            error.cause instanceof Error
              ? (error.cause.stack ?? error.cause.message)
              : error.message,
        });
      }
    },
  });
}

export { handler as GET, handler as POST };
