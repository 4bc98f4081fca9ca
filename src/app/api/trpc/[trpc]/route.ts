import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { logger } from "~/lib/logger";
import { appRouter, createTRPCContextFromRequest } from "~/server/api/root";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

function handler(req: Request) {
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
