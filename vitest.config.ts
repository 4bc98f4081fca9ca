import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "~": path.resolve(import.meta.dirname, "src") } },
  test: {
    include: ["tests/**/*.test.ts", "src/**/*.test.ts"],
    globalSetup: ["tests/setup/global-setup.ts"],
    // Generous: the suite shares 2 cores with real servers, PostgreSQL and Chromium.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Fixed secrets so tests never write generated ones; each test picks its own data dir.
    env: {
      NODE_ENV: "test",
      AUTH_SECRET: "test-auth-secret-0123456789abcdef0123456789abcdef",
      SWITCHYARD_ENCRYPTION_KEY: "dGVzdC1lbmNyeXB0aW9uLWtleS0wMTIzNDU2Nzg5YWJjZGVm",
      SWITCHYARD_DATA_DIR: "tests/output/data",
      LOG_LEVEL: "warn",
    },
  },
});
