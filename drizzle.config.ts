import { defineConfig } from "drizzle-kit";

// Core tables: plain Postgres, applied on every database.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/server/db/schema/index.ts",
  out: "./drizzle/core",
  dbCredentials: { url: process.env.DATABASE_URL ?? "postgres://localhost/switchyard" },
});
