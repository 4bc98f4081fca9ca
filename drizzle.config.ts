import path from "node:path";
import { defineConfig } from "drizzle-kit";
import { dbSocketUrl, readLiveDbSocket } from "./src/server/db/socket-server";

/**
 * Which database drizzle-kit talks to (`db:studio`; `db:generate` needs none):
 * DATABASE_URL if set, else the embedded database served by the running server over its local
 * socket (`<dataDir>/db-socket.json`; PGlite allows one process per data dir, so tools go through
 * the server).
 */
function databaseUrl(): string {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const dataDir = path.resolve(process.env.SWITCHYARD_DATA_DIR || ".data");
  const socket = readLiveDbSocket(dataDir);
  if (socket) return dbSocketUrl(socket);
  if (process.argv.includes("studio")) {
    console.warn(
      `No DATABASE_URL and no running server for ${dataDir}: start the server (npm run dev) first; ` +
        "drizzle studio reaches the embedded database through it.",
    );
  }
  return "postgres://localhost/switchyard";
}

// Core tables: plain Postgres, applied on every database.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/server/db/schema/index.ts",
  out: "./drizzle/core",
  dbCredentials: { url: databaseUrl() },
});
