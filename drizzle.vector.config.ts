import { defineConfig } from "drizzle-kit";

// Vector tables: applied only where `CREATE EXTENSION vector` succeeds (see src/server/db/migrate.ts).
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/server/db/schema-vector/*.ts",
  out: "./drizzle/vector",
});
