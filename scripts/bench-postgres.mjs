// A throwaway PostgreSQL cluster for `npm run bench -- --db postgres` (Debian's packages:
// apt-get install postgresql). Tuned for a benchmark, not for durability.
import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

function binDir() {
  const root = "/usr/lib/postgresql";
  const majors = existsSync(root)
    ? readdirSync(root).filter((v) => existsSync(path.join(root, v, "bin", "initdb"))).sort((a, b) => Number(b) - Number(a))
    : [];
  if (!majors[0]) throw new Error("PostgreSQL is not installed (apt-get install -y postgresql)");
  return path.join(root, majors[0], "bin");
}

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

/** Starts a cluster; resolves with its URL and a stop function. */
export async function startBenchPostgres() {
  const bin = binDir();
  const base = mkdtempSync(path.join(tmpdir(), "switchyard-bench-pg-"));
  chmodSync(base, 0o755);
  const data = path.join(base, "data");
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    mkdirSync(data);
    chownSync(base, uid, gid);
    chownSync(data, uid, gid);
  }
  const run = (cmd, args) =>
    asRoot
      ? execFileSync("runuser", ["-u", "postgres", "--", path.join(bin, cmd), ...args], { stdio: "ignore" })
      : execFileSync(path.join(bin, cmd), args, { stdio: "ignore" });
  run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);
  const port = await freePort();
  run("pg_ctl", [
    "-D", data, "-l", path.join(base, "server.log"), "-w", "-t", "60", "start", "-o",
    `-c listen_addresses=127.0.0.1 -p ${port} -k ${base} -c max_connections=100`,
  ]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        run("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]);
      } finally {
        rmSync(base, { recursive: true, force: true });
      }
    },
  };
}
