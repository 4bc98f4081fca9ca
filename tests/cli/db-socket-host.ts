/**
 * Stands in for the server process in CLI tests: opens the embedded database of a data dir,
 * serves it with `startDbSocketServer`, and keeps using its PGlite directly (like the gateway
 * would) until SIGTERM or until its parent closes stdin.
 *
 *   tsx tests/cli/db-socket-host.ts <dataDir>   → prints "READY <port>" once serving
 */
import { openDatabase } from "~/server/db/client";
import { pgliteDir } from "~/server/db";
import { startDbSocketServer } from "~/server/db/socket-server";

const dataDir = process.argv[2];
if (!dataDir) {
  process.stderr.write("usage: db-socket-host.ts <dataDir>\n");
  process.exit(2);
}

const handle = await openDatabase({ kind: "pglite", dataDir: pgliteDir(dataDir) });
const pglite = handle.pglite!;
await pglite.exec(
  "create table if not exists host_activity (id serial primary key, at timestamptz default now())",
);
const server = await startDbSocketServer(handle, dataDir);

// The owning process's own traffic, interleaved with the CLI's: reads and short transactions.
let activity = 0;
let stopped = false;
const loop = (async () => {
  while (!stopped) {
    await pglite.query("select count(*) from organizations");
    await pglite.transaction(async (tx) => {
      await tx.query("insert into host_activity default values");
      await tx.query(
        "delete from host_activity where id < (select max(id) from host_activity) - 100",
      );
    });
    activity++;
    await new Promise((r) => setTimeout(r, 2));
  }
})();

process.stdout.write(`READY ${server.port}\n`);

let shuttingDown = false;
async function shutdown() {
  if (shuttingDown) return;
  shuttingDown = true;
  stopped = true;
  await loop;
  await server.stop();
  await handle.close();
  process.stdout.write(`STOPPED after ${activity} owner transactions\n`);
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown());
process.stdin.on("end", () => void shutdown());
process.stdin.resume();
