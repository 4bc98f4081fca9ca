import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { parsePrivateAllowlist } from "~/lib/net/public-address";

/**
 * All configuration Switchyard reads from the environment, validated once.
 * Nothing else in the codebase reads `process.env`.
 */
const boolish = z
  .enum(["1", "0", "true", "false", "yes", "no", "on", "off", ""])
  .transform((v) => ["1", "true", "yes", "on"].includes(v));

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://")
      .optional(),
  ),
  SWITCHYARD_DATA_DIR: z.string().default(".data"),
  AUTH_SECRET: optionalString.pipe(z.string().min(32, "must be at least 32 characters").optional()),
  SWITCHYARD_ENCRYPTION_KEY: optionalString.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9+/=_-]{43,}$/, "must be 32 random bytes, base64 or hex encoded")
      .optional(),
  ),
  /** Public base URL of this instance, used in quickstarts and invite links. */
  SWITCHYARD_PUBLIC_URL: optionalString.pipe(z.url().optional()),
  /** How long a key lookup (hit or miss) is cached per instance. Revocation reaches every instance within this. */
  SWITCHYARD_KEY_CACHE_TTL_MS: z.coerce.number().int().min(0).max(5000).default(4000),
  SWITCHYARD_ALLOW_SIGNUP: boolish.default(true),
  /**
   * Shared store of rate-limit and budget counters and of the response cache (redis:// or
   * rediss://). Without it counters live in this process (exact for one instance) and the cache's
   * shared tier is the database. Required when several instances must enforce one limit.
   */
  REDIS_URL: optionalString.pipe(
    z
      .string()
      .regex(/^rediss?:\/\//, "must start with redis:// or rediss://")
      .optional(),
  ),
  /** Bound of the in-process response cache tier, in MB of stored answers. */
  SWITCHYARD_CACHE_MEMORY_MB: z.coerce.number().int().min(0).max(16_384).default(32),
  /** Largest file accepted by `POST /v1/files` (knowledge bases), in MB; the bytes are stored in the database. */
  SWITCHYARD_MAX_FILE_MB: z.coerce.number().min(1).max(512).default(25),
  /**
   * When the counter store (Redis) cannot be reached: false (default) refuses limited requests
   * with 503 limits_unavailable; true lets them through unlimited (logged).
   */
  SWITCHYARD_LIMITS_FAIL_OPEN: boolish.default(false),
  /** Hand /v1 to Next's route handlers instead of the direct gateway listener (to exercise the Vercel mount locally). */
  SWITCHYARD_API_VIA_NEXT: boolish.default(false),
  /** false = an API-only instance: no Next.js (console, tRPC, Auth.js) in this process; every path goes to the gateway. */
  SWITCHYARD_SERVE_CONSOLE: boolish.default(true),
  /**
   * Where the server runs the embedded database (no DATABASE_URL): `process` = its own child
   * process, reached over the local Postgres socket (keeps WebAssembly Postgres off the gateway's
   * event loop and heap); `inline` = inside the server process.
   */
  SWITCHYARD_EMBEDDED_DB: z.enum(["process", "inline"]).default("process"),
  SWITCHYARD_INVITE_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(72),
  /** Sign-in throttling: failures per email (or IP) within the window before sign-in is refused. */
  SWITCHYARD_SIGNIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  SWITCHYARD_SIGNIN_WINDOW_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  AUTH_GITHUB_ID: optionalString,
  AUTH_GITHUB_SECRET: optionalString,
  AUTH_OIDC_ISSUER: optionalString.pipe(z.url().optional()),
  AUTH_OIDC_ID: optionalString,
  AUTH_OIDC_SECRET: optionalString,
  AUTH_OIDC_NAME: z.string().default("SSO"),
  SMTP_URL: optionalString.pipe(
    z.string().regex(/^smtps?:\/\//, "must start with smtp:// or smtps://").optional(),
  ),
  SMTP_FROM: optionalString,
  /** Instance-wide OpenAI (or OpenAI-compatible) upstream, offered to every org as provider `openai`. */
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalString.pipe(
    z.string().regex(/^https?:\/\/[^\s]+$/, "must be an http(s) URL").optional(),
  ),
  /** Comma-separated model ids of that upstream; when unset they are discovered from its /models. */
  OPENAI_MODELS: optionalString,
  /**
   * Path of the config file (YAML or JSON) declaring instance-wide providers and routes; see
   * docs/config.md. Read once at start-up (and again on SIGHUP).
   */
  SWITCHYARD_CONFIG: optionalString,
  /** How often discovered model lists of instance providers are refreshed. */
  SWITCHYARD_MODEL_REFRESH_MS: z.coerce.number().int().min(10_000).max(7 * 24 * 3_600_000).default(15 * 60_000),
  /** The built-in `mock` provider (no network). Default: on unless NODE_ENV=production. */
  SWITCHYARD_ENABLE_MOCK_PROVIDER: boolish.optional(),
  /**
   * Whether org providers may point at private, loopback, link-local or metadata addresses.
   * Default: allowed unless NODE_ENV=production (self-hosters run Ollama on localhost).
   */
  SWITCHYARD_ALLOW_PRIVATE_UPSTREAMS: boolish.optional(),
  /**
   * Private destinations org-supplied URLs (providers, webhooks) may reach even when private
   * upstreams are refused: comma-separated host names, IP addresses and networks
   * (`ollama.lan, 10.1.2.3, 192.168.10.0/24, fd12::/48`).
   */
  SWITCHYARD_PRIVATE_UPSTREAM_ALLOWLIST: z
    .string()
    .optional()
    .transform((v) => (v ?? "").split(",").map((e) => e.trim()).filter(Boolean))
    .superRefine((entries, ctx) => {
      try {
        parsePrivateAllowlist(entries);
      } catch (err) {
        ctx.addIssue({ code: "custom", message: err instanceof Error ? err.message : String(err) });
      }
    }),
  /** Instance-wide upstream timeouts (ms); each provider may override them. */
  SWITCHYARD_UPSTREAM_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).optional(),
  SWITCHYARD_UPSTREAM_FIRST_BYTE_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).optional(),
  SWITCHYARD_UPSTREAM_IDLE_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).optional(),
  SWITCHYARD_UPSTREAM_TOTAL_TIMEOUT_MS: z.coerce.number().int().min(100).max(6 * 3_600_000).optional(),
  /**
   * Background jobs run on Inngest when either is set (INNGEST_DEV: `1` or the dev server's URL);
   * otherwise the server runs them itself (the local driver). See docs/jobs.md.
   */
  INNGEST_EVENT_KEY: optionalString,
  INNGEST_SIGNING_KEY: optionalString,
  INNGEST_DEV: optionalString.pipe(
    z
      .string()
      .regex(
        /^(1|0|true|false|https?:\/\/\S+)$/,
        "must be 1, 0, true, false or the dev server's http(s) URL",
      )
      .optional(),
  ),
  /** Runs the local job driver executes at once in one server process. */
  SWITCHYARD_JOBS_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  VERCEL: optionalString,
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
});

export type Env = z.infer<typeof envSchema> & {
  AUTH_SECRET: string;
  SWITCHYARD_ENCRYPTION_KEY: string;
  /** Absolute path of the data directory (PGlite, generated secrets, socket address). */
  dataDir: string;
};

export class EnvError extends Error {
  override name = "EnvError";
}

function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `  - ${issue.path.join(".") || "(env)"}: ${issue.message}`)
    .join("\n");
}

type GeneratedSecrets = { AUTH_SECRET?: string; SWITCHYARD_ENCRYPTION_KEY?: string };

/** Secrets missing from the environment are generated once into `<dataDir>/secrets.json` (mode 0600). */
function loadOrCreateSecrets(
  dataDir: string,
  missing: (keyof GeneratedSecrets)[],
  warn: (msg: string) => void,
): GeneratedSecrets {
  const file = path.join(dataDir, "secrets.json");
  let stored: GeneratedSecrets = {};
  if (existsSync(file)) {
    try {
      stored = JSON.parse(readFileSync(file, "utf8")) as GeneratedSecrets;
    } catch {
      throw new EnvError(`Cannot read ${file}: it is not valid JSON. Fix or delete it.`);
    }
  }
  let changed = false;
  for (const name of missing) {
    if (!stored[name]) {
      stored[name] = randomBytes(32).toString("base64url");
      changed = true;
      warn(
        `[switchyard] ${name} is not set; generated one into ${file}. Set it in the environment for production.`,
      );
    }
  }
  if (changed) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(stored, null, 2) + "\n", { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return stored;
}

export function parseEnv(
  source: Record<string, string | undefined> = process.env,
  options: { warn?: (msg: string) => void } = {},
): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    throw new EnvError(`Invalid environment configuration:\n${formatIssues(parsed.error)}`);
  }
  const env = parsed.data;
  const dataDir = path.resolve(env.SWITCHYARD_DATA_DIR);
  const missing = (["AUTH_SECRET", "SWITCHYARD_ENCRYPTION_KEY"] as const).filter((k) => !env[k]);
  // Inngest Cloud signs its calls to /api/inngest; without the key every call would be refused.
  const inngestDev = env.INNGEST_DEV !== undefined && !["0", "false"].includes(env.INNGEST_DEV);
  if (
    env.INNGEST_EVENT_KEY &&
    !env.INNGEST_SIGNING_KEY &&
    !inngestDev &&
    env.NODE_ENV === "production"
  ) {
    throw new EnvError(
      "Invalid environment configuration:\n  - INNGEST_SIGNING_KEY: required with INNGEST_EVENT_KEY in production (Inngest dashboard → Signing key)",
    );
  }
  if (missing.length > 0 && env.VERCEL) {
    throw new EnvError(
      `Invalid environment configuration:\n${missing.map((k) => `  - ${k}: required on Vercel (generate one with: openssl rand -base64 32)`).join("\n")}`,
    );
  }
  const generated =
    missing.length > 0 ? loadOrCreateSecrets(dataDir, missing, options.warn ?? console.warn) : {};
  return {
    ...env,
    AUTH_SECRET: env.AUTH_SECRET ?? generated.AUTH_SECRET!,
    SWITCHYARD_ENCRYPTION_KEY: env.SWITCHYARD_ENCRYPTION_KEY ?? generated.SWITCHYARD_ENCRYPTION_KEY!,
    dataDir,
  };
}

/**
 * The raw environment, for `${VAR}` references in the config file (SWITCHYARD_CONFIG): those name
 * any variable the operator chooses, so they cannot be part of the schema above.
 */
export function rawEnvironment(): Readonly<Record<string, string | undefined>> {
  return process.env;
}

const globalForEnv = globalThis as unknown as { __switchyardEnv?: Env };

/** The validated environment of this process (parsed on first use, shared by Next and the gateway). */
export function env(): Env {
  globalForEnv.__switchyardEnv ??= parseEnv();
  return globalForEnv.__switchyardEnv;
}
