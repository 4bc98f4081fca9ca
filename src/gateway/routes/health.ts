import type { Hono } from "hono";
import type { ReadinessReport } from "../ports";
import { refuseOtherMethods, route, type ResolvedPorts } from "../route";

const READINESS_TIMEOUT_MS = 2_000;

const NOT_READY: ReadinessReport = { database: "unavailable", vector: "unavailable" };

/** Runs the probe with a deadline: a hung database must not hang the load balancer's check. */
async function probe(ports: ResolvedPorts): Promise<ReadinessReport> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<ReadinessReport>((resolve) => {
    timer = setTimeout(() => resolve(NOT_READY), READINESS_TIMEOUT_MS);
  });
  try {
    return await Promise.race([ports.readiness(), timeout]);
  } catch (err) {
    ports.logger.warn("readiness probe failed", {
      error: err instanceof Error ? err.message : String(err),
    });
    return NOT_READY;
  } finally {
    clearTimeout(timer);
  }
}

/** `/healthz`: the process answers (no dependencies). `/readyz`: it can serve requests (database reachable). */
export function registerHealthRoutes(app: Hono, ports: ResolvedPorts): void {
  app.get(
    "/healthz",
    route(ports, (ctx) => ports.respond.json({ status: "ok" }, 200, ctx.requestId)),
  );
  refuseOtherMethods(app, ports, "/healthz", ["GET"]);

  app.get(
    "/readyz",
    route(ports, async (ctx) => {
      const report = await probe(ports);
      const ready = report.database === "ok";
      return ports.respond.json(
        { status: ready ? "ok" : "unavailable", ...report },
        ready ? 200 : 503,
        ctx.requestId,
        { "cache-control": "no-store" },
      );
    }),
  );
  refuseOtherMethods(app, ports, "/readyz", ["GET"]);
}
