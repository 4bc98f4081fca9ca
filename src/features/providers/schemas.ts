import { z } from "zod";
import {
  AZURE_API_VERSION_PATTERN,
  AZURE_DEFAULT_API_VERSION,
} from "~/providers/azure-openai/azure-urls";

/** Limits shared by the server schemas and the console form. */
export const PROVIDER_LIMITS = {
  nameMax: 40,
  apiKeyMax: 500,
  baseUrlMax: 2000,
  modelsMax: 500,
  modelIdMax: 200,
  headersMax: 20,
  headerValueMax: 1000,
} as const;

export const PROVIDER_NAME_PATTERN = /^[a-z0-9][a-z0-9-_]{0,39}$/;

export const providerNameSchema = z
  .string()
  .trim()
  .regex(
    PROVIDER_NAME_PATTERN,
    "Use 1–40 lowercase letters, digits, - or _, starting with a letter or digit (clients call it as name/model).",
  );

export const providerTypeSchema = z.string().trim().min(1, "Choose a type").max(64);

/** http(s), no credentials in it (they belong in the API key), normalised without a trailing slash. */
export const baseUrlSchema = z
  .string()
  .trim()
  .min(1, "Base URL is required")
  .max(
    PROVIDER_LIMITS.baseUrlMax,
    `Base URL must be at most ${PROVIDER_LIMITS.baseUrlMax} characters`,
  )
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({
        code: "custom",
        message: "Enter a full URL, e.g. https://api.example.com/v1",
      });
      return;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      ctx.addIssue({ code: "custom", message: "The base URL must start with http:// or https://" });
    } else if (url.username || url.password) {
      ctx.addIssue({
        code: "custom",
        message: "Put credentials in the API key field, not in the URL",
      });
    } else if (url.hash || url.search) {
      ctx.addIssue({
        code: "custom",
        message: "The base URL cannot have a query string or fragment",
      });
    }
  })
  .transform((value) => value.replace(/\/+$/, ""));

export const apiKeySchema = z
  .string()
  .trim()
  .min(1, "API key cannot be empty (leave it out for keyless upstreams)")
  .max(PROVIDER_LIMITS.apiKeyMax, `API key must be at most ${PROVIDER_LIMITS.apiKeyMax} characters`)
  // Sent as a header: no spaces or control characters (header injection).
  .regex(/^[\x21-\x7e]+$/, "API key must be printable characters without spaces");

export const modelListSchema = z
  .array(
    z
      .string()
      .trim()
      .min(1, "Model ids cannot be empty")
      .max(
        PROVIDER_LIMITS.modelIdMax,
        `Model ids are at most ${PROVIDER_LIMITS.modelIdMax} characters`,
      )
      .regex(/^[^\s,]+$/, "Model ids cannot contain spaces or commas"),
  )
  .max(PROVIDER_LIMITS.modelsMax, `At most ${PROVIDER_LIMITS.modelsMax} models`)
  .transform((models) => [...new Set(models)]);

/** Headers that carry credentials or are the HTTP client's business: refused in `headers`. */
const FORBIDDEN_HEADER =
  /^(authorization|proxy-authorization|cookie|host|content-length|content-type|transfer-encoding|connection|x-api-key|api-key)$/i;

export const headersSchema = z
  .record(
    z
      .string()
      .trim()
      .regex(
        /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/,
        "Header names are letters, digits and - _ . only",
      )
      .refine(
        (name) => !FORBIDDEN_HEADER.test(name),
        "This header is set by Switchyard (put secrets in the API key field)",
      ),
    z
      .string()
      .max(
        PROVIDER_LIMITS.headerValueMax,
        `Header values are at most ${PROVIDER_LIMITS.headerValueMax} characters`,
      )
      .regex(/^[^\r\n\0]*$/, "Header values cannot contain line breaks"),
  )
  .refine(
    (h) => Object.keys(h).length <= PROVIDER_LIMITS.headersMax,
    `At most ${PROVIDER_LIMITS.headersMax} headers`,
  );

const timeoutMs = z
  .number()
  .int()
  .min(100, "At least 100 ms")
  .max(6 * 3_600_000, "At most 6 hours");
export const timeoutsSchema = z
  .object({ connectMs: timeoutMs, firstByteMs: timeoutMs, idleMs: timeoutMs, totalMs: timeoutMs })
  .partial()
  .strict();

/**
 * Adapter-specific settings (`ProviderConfig.options`): which keys each provider type takes, with
 * their rules. A type missing here takes none. Shared by the server checks and the console form.
 */
export interface ProviderOptionField {
  key: string;
  label: string;
  hint: string;
  placeholder: string;
  /** What a value must look like; `message` says so when it does not. */
  pattern: RegExp;
  message: string;
}

export const PROVIDER_OPTION_FIELDS: Readonly<Record<string, readonly ProviderOptionField[]>> = {
  "azure-openai": [
    {
      key: "apiVersion",
      label: "API version",
      hint: `v1 for Azure's v1 API, or a dated data-plane version (empty = ${AZURE_DEFAULT_API_VERSION}).`,
      placeholder: AZURE_DEFAULT_API_VERSION,
      pattern: AZURE_API_VERSION_PATTERN,
      message: "API version: v1, or a date YYYY-MM-DD with an optional -preview (e.g. 2024-10-21).",
    },
  ],
};

export function optionFieldsFor(type: string): readonly ProviderOptionField[] {
  return PROVIDER_OPTION_FIELDS[type] ?? [];
}

/**
 * `options` without empty values (empty = the adapter's default), or the first problem: a key the
 * type does not take, or a value its rule refuses.
 */
export function checkProviderOptions(
  type: string,
  options: Readonly<Record<string, string>>,
): { ok: true; options: Record<string, string> } | { ok: false; error: string } {
  const fields = optionFieldsFor(type);
  const out: Record<string, string> = {};
  for (const [key, raw] of Object.entries(options)) {
    const value = raw.trim();
    if (value === "") continue;
    const field = fields.find((f) => f.key === key);
    if (!field) return { ok: false, error: `Providers of type ${type} take no option "${key}".` };
    if (!field.pattern.test(value)) return { ok: false, error: field.message };
    out[key] = value;
  }
  return { ok: true, options: out };
}

/** The shape of `options` (which keys a type takes is checked against the type, see above). */
export const providerOptionsSchema = z
  .record(
    z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/, "Option names are letters and digits"),
    z
      .string()
      .max(200, "Option values are at most 200 characters")
      .regex(/^[^\r\n\0]*$/, "Option values cannot contain line breaks"),
  )
  .refine((o) => Object.keys(o).length <= 20, "At most 20 options");

export const prioritySchema = z.number().int().min(0).max(10_000);

export const providerIdSchema = z.string().trim().min(1).max(64);

export const createProviderInput = z.object({
  name: providerNameSchema,
  type: providerTypeSchema,
  baseUrl: baseUrlSchema,
  apiKey: apiKeySchema.optional(),
  headers: headersSchema.optional(),
  models: modelListSchema.optional(),
  timeouts: timeoutsSchema.optional(),
  priority: prioritySchema.optional(),
  /** Adapter-specific settings (see PROVIDER_OPTION_FIELDS). */
  options: providerOptionsSchema.optional(),
});
export type CreateProviderInput = z.infer<typeof createProviderInput>;

export const updateProviderInput = z.object({
  id: providerIdSchema,
  name: providerNameSchema.optional(),
  type: providerTypeSchema.optional(),
  baseUrl: baseUrlSchema.optional(),
  /** Omitted = keep the stored key; null = remove it (keyless upstream); a string = replace it. */
  apiKey: apiKeySchema.nullable().optional(),
  headers: headersSchema.optional(),
  models: modelListSchema.optional(),
  timeouts: timeoutsSchema.optional(),
  priority: prioritySchema.optional(),
  /** Omitted = keep; `{}` or null = none (the adapter's defaults); an object = replace. */
  options: providerOptionsSchema.nullable().optional(),
});
export type UpdateProviderInput = z.infer<typeof updateProviderInput>;

export const providerIdInput = z.object({ id: providerIdSchema });

/**
 * What to probe: a saved provider (`id`), a draft from the form (`draft`), or a saved one with
 * edits not saved yet (both; a draft without `apiKey` uses the stored key).
 */
export const providerDraftSchema = z.object({
  type: providerTypeSchema,
  baseUrl: baseUrlSchema,
  apiKey: apiKeySchema.optional(),
  headers: headersSchema.optional(),
  options: providerOptionsSchema.optional(),
});

export const probeProviderInput = z
  .object({
    id: providerIdSchema.optional(),
    draft: providerDraftSchema.optional(),
  })
  .refine(
    (v) => v.id !== undefined || v.draft !== undefined,
    "Give a provider id or a draft to test",
  );
export type ProbeProviderInput = z.infer<typeof probeProviderInput>;

export const discoverModelsInput = z
  .object({
    id: providerIdSchema.optional(),
    draft: providerDraftSchema.optional(),
    /** Save the result into the provider's model list (saved providers only, without a draft). */
    apply: z.enum(["merge", "replace"]).optional(),
  })
  .refine((v) => v.id !== undefined || v.draft !== undefined, "Give a provider id or a draft")
  .refine((v) => v.apply === undefined || (v.id !== undefined && v.draft === undefined), {
    message: "Only a saved provider's model list can be updated",
    path: ["apply"],
  });
export type DiscoverModelsInput = z.infer<typeof discoverModelsInput>;
