import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import tseslint from "typescript-eslint";

export default tseslint.config(
  ...nextVitals,
  ...nextTs,
  {
    ignores: [".next/**", ".next-*/**", "dist/**", "scratch/**", ".data/**", "node_modules/**", "drizzle/**", "tests/output/**", "next-env.d.ts"],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["warn", { fixStyle: "inline-type-imports" }],
    },
  },
  {
    // The gateway core is framework-free: ports only (DESIGN.md, house rule 5).
    files: ["src/gateway/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["next", "next/*", "next-auth", "next-auth/*"], message: "The gateway core must not import Next." },
            { group: ["drizzle-orm", "drizzle-orm/*", "~/server/*", "~/features/*"], message: "The gateway core reaches the database through ports." },
            { group: ["inngest", "inngest/*"], message: "The gateway core must not import Inngest." },
          ],
        },
      ],
    },
  },
);
