import { mkdirSync } from "node:fs";
import path from "node:path";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import * as schema from "./schema";
import { runMigrations } from "./migrate";

export type Schema = typeof schema;
/** The drizzle database, whichever driver is underneath (PGlite or postgres.js). */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export type DatabaseKind = "pglite" | "postgres";

export interface DatabaseHandle {
  db: Db;
  kind: DatabaseKind;
  /** Where the data lives, for log lines: a directory, `memory`, or a redacted URL. */
  location: string;
  /** pgvector could be enabled and the vector migration set is applied. */
  vectorAvailable: boolean;
  /** Why vector features are unavailable, when they are. */
  vectorUnavailableReason?: string;
  /**
   * The embedded database's own process, reached over its socket: one PGlite session shared by
   * every client, so no client may hold a transaction open across messages (e.g. a COPY).
   */
  embeddedProcess?: boolean;
  /** The PGlite instance, when embedded (served to local tools over pglite-socket). */
  pglite?: import("@electric-sql/pglite").PGlite;
  /** Cheap liveness probe for /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type OpenDatabaseOptions =
  | { kind: "postgres"; url: string; migrate?: boolean; max?: number }
  | { kind: "pglite"; dataDir: string | "memory://"; migrate?: boolean };

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "postgres://***";
  }
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  let handle: DatabaseHandle;
  if (options.kind === "postgres") {
    const { default: postgres } = await import("postgres");
    const { drizzle } = await import("drizzle-orm/postgres-js");
    const client = postgres(options.url, {
      max: options.max ?? 10,
      onnotice: () => {},
      connection: { application_name: "switchyard" },
    });
    handle = {
      db: drizzle(client, { schema }) as unknown as Db,
      kind: "postgres",
      location: redactUrl(options.url),
      vectorAvailable: false,
      ping: async () => {
        await client`select 1`;
      },
      close: () => client.end({ timeout: 5 }),
    };
  } else {
    const { PGlite } = await import("@electric-sql/pglite");
    const { vector } = await import("@electric-sql/pglite-pgvector");
    const { drizzle } = await import("drizzle-orm/pglite");
    const memory = options.dataDir === "memory://";
    if (!memory) mkdirSync(options.dataDir, { recursive: true });
    const pglite = await PGlite.create(memory ? undefined : options.dataDir, {
      extensions: { vector },
    });
    handle = {
      db: drizzle(pglite, { schema }) as unknown as Db,
      kind: "pglite",
      location: memory ? "memory" : path.resolve(options.dataDir),
      vectorAvailable: false,
      pglite,
      ping: async () => {
        await pglite.query("select 1");
      },
      close: async () => {
        if (!pglite.closed) await pglite.close();
      },
    };
  }
  if (options.migrate !== false) {
    const result = await runMigrations(handle, options.kind === "postgres" ? options.url : undefined);
    handle.vectorAvailable = result.vectorAvailable;
    handle.vectorUnavailableReason = result.vectorUnavailableReason;
  }
  return handle;
}
