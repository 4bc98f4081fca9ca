import { serve } from "inngest/next";
import { env } from "~/env";
import { jobDriverKind } from "../job-driver";
import { JOBS } from "../registry";
import { inngestClient } from "./inngest-client";
import { inngestFunctions } from "./inngest-functions";

type Handler = (req: Request, ctx: unknown) => Promise<Response>;

let handlers: { GET: Handler; POST: Handler; PUT: Handler } | null = null;

/**
 * The `/api/inngest` endpoint Inngest calls to sync and run Switchyard's functions. Without
 * Inngest configured the local driver runs the jobs and this endpoint does not exist (404).
 */
export function inngestHandler(method: "GET" | "POST" | "PUT"): Handler {
  return async (req, ctx) => {
    if (jobDriverKind(env()) !== "inngest") {
      return Response.json(
        { error: "Inngest is not configured on this instance (jobs run on the local driver)." },
        { status: 404 },
      );
    }
    handlers ??= serve({
      client: inngestClient(),
      functions: inngestFunctions(inngestClient(), JOBS),
    }) as unknown as { GET: Handler; POST: Handler; PUT: Handler };
    return handlers[method](req, ctx);
  };
}
