#!/usr/bin/env node
// Bundles the production server (`npm start`) into dist/: the one-process server and the embedded
// database process, with our TypeScript compiled ahead of time and every npm package left as an
// import from node_modules. Running from a bundle instead of through tsx starts faster and keeps
// the compiler and its source maps out of the server's memory.
import { build } from "esbuild";
import { rmSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const outdir = path.join(root, "dist");
rmSync(outdir, { recursive: true, force: true });

const started = performance.now();
await build({
  absWorkingDir: root,
  entryPoints: {
    server: "src/server/main.ts",
    "embedded-db": "src/server/db/embedded/embedded-db-main.ts",
  },
  outdir,
  outExtension: { ".js": ".mjs" },
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  tsconfig: "tsconfig.json",
  sourcemap: "linked",
  legalComments: "none",
  logLevel: "warning",
});
console.log(`server bundle: dist/server.mjs, dist/embedded-db.mjs (${Math.round(performance.now() - started)} ms)`);
