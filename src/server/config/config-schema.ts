import { z } from "zod";
import { policyListSchema, type Policy } from "~/gateway/guardrails/policy/schema";
import { routeDefinitionSchema, type RouteDefinition } from "~/gateway/routing/route-schema";

/**
 * The schema of the config file (`SWITCHYARD_CONFIG`): instance-wide providers and routes. Every
 * object is strict — a misspelt key is an error, never silently ignored. Adapter types are passed
 * in by the caller (this module does not know the provider registry).
 */

/** Same rule as org provider names: clients write it as `provider/model`. */
export const CONFIG_PROVIDER_ID_PATTERN = /^[a-z0-9][a-z0-9-_]{0,39}$/;

/** Taken by the built-in mock provider whenever it is enabled. */
const FORBIDDEN_PROVIDER_IDS = ["mock"];

/** Headers the HTTP client owns; credentials go in `apiKey`. */
const CLIENT_HEADERS = /^(host|content-length|content-type|transfer-encoding|connection)$/i;

/** YAML writes "not set" as an empty value (`apiKey:`): for optional fields that means absent. */
function unsetWhenNull<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === null ? undefined : v), schema.optional());
}

const timeoutMs = z
  .number()
  .int()
  .min(100)
  .max(6 * 3_600_000);

const providerTimeoutsSchema = z.strictObject({
  connectMs: unsetWhenNull(timeoutMs),
  firstByteMs: unsetWhenNull(timeoutMs),
  idleMs: unsetWhenNull(timeoutMs),
  totalMs: unsetWhenNull(timeoutMs),
});

const baseUrlSchema = z
  .string()
  .trim()
  .min(1)
  .max(2000)
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: "custom", message: "not a URL (e.g. https://api.example.com/v1)" });
      return;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      ctx.addIssue({ code: "custom", message: "must start with http:// or https://" });
    } else if (url.username || url.password) {
      ctx.addIssue({ code: "custom", message: "put credentials in apiKey, not in the URL" });
    } else if (url.search || url.hash) {
      ctx.addIssue({ code: "custom", message: "cannot have a query string or fragment" });
    }
  })
  .transform((value) => value.replace(/\/+$/, ""));

const headersSchema = z.record(
  z
    .string()
    .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/, "not a valid header name")
    .refine((name) => !CLIENT_HEADERS.test(name), "this header is set by the HTTP client"),
  z
    .string()
    .max(4000)
    .regex(/^[^\r\n\0]*$/, "header values cannot contain line breaks"),
);

const optionsSchema = z.record(
  z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, "option names are letters, digits and _"),
  z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v)),
);

const modelsSchema = z
  .array(
    z
      .string()
      .trim()
      .min(1, "model ids cannot be empty")
      .max(200)
      .regex(/^[^\s,]+$/, "model ids cannot contain spaces or commas"),
  )
  .min(1, "list at least one model, or leave `models` out to discover them from the upstream")
  .max(5000)
  .transform((models) => [...new Set(models)]);

function providerSchema(providerTypes: readonly string[]) {
  return z.strictObject({
    id: z
      .string()
      .trim()
      .regex(
        CONFIG_PROVIDER_ID_PATTERN,
        "use 1–40 lowercase letters, digits, - or _ (clients write it as provider/model)",
      )
      .refine(
        (id) => !FORBIDDEN_PROVIDER_IDS.includes(id),
        '"mock" is the built-in mock provider; choose another id',
      ),
    type: z
      .string()
      .trim()
      .refine((t) => providerTypes.includes(t), {
        error: (issue) =>
          `unknown provider type ${JSON.stringify(issue.input)} (known: ${providerTypes.join(", ")})`,
      }),
    baseURL: baseUrlSchema,
    apiKey: unsetWhenNull(
      z
        .string()
        .trim()
        .max(4000)
        .regex(/^[\x21-\x7e]*$/, "API keys are printable characters without spaces")
        // `${KEY:-}` for a keyless upstream: empty means no key.
        .transform((v) => (v === "" ? undefined : v)),
    ),
    headers: unsetWhenNull(headersSchema),
    options: unsetWhenNull(optionsSchema),
    models: unsetWhenNull(modelsSchema),
    timeouts: unsetWhenNull(providerTimeoutsSchema),
  });
}

/** The config file's schema for a build whose adapters are `providerTypes`. */
export function createConfigSchema(providerTypes: readonly string[]) {
  return z.strictObject({
    providers: unsetWhenNull(z.array(providerSchema(providerTypes))).transform((v) => v ?? []),
    routes: unsetWhenNull(z.array(routeDefinitionSchema)).transform((v) => v ?? []),
    /** Guardrail policies every org runs (an org's own policy with the same id replaces one). */
    policies: unsetWhenNull(policyListSchema).transform((v) => v ?? []),
  });
}

export interface NameProblem {
  path: (string | number)[];
  message: string;
}

/**
 * Provider ids and route names used twice. Checked on the raw document (not as a zod refinement)
 * so duplicates are reported together with every other problem, not only once the rest is valid.
 */
export function findDuplicateNames(raw: unknown): NameProblem[] {
  const problems: NameProblem[] = [];
  const check = (section: "providers" | "routes", field: "id" | "name", what: string) => {
    const list = isRecord(raw) ? raw[section] : undefined;
    if (!Array.isArray(list)) return;
    const seen = new Map<string, number>();
    list.forEach((item: unknown, i) => {
      const value = isRecord(item) ? item[field] : undefined;
      if (typeof value !== "string") return;
      const name = value.trim();
      const first = seen.get(name);
      if (first === undefined) seen.set(name, i);
      else
        problems.push({
          path: [section, i, field],
          message: `duplicate ${what} "${name}" (already used by ${section}.${first})`,
        });
    });
  };
  check("providers", "id", "provider id");
  check("routes", "name", "route name");
  return problems;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

export type SwitchyardConfigSchema = ReturnType<typeof createConfigSchema>;
export type ConfigProviderDefinition = z.infer<SwitchyardConfigSchema>["providers"][number];

/** A validated config file (defaults applied). */
export interface SwitchyardConfig {
  providers: ConfigProviderDefinition[];
  routes: RouteDefinition[];
  policies: Policy[];
}
