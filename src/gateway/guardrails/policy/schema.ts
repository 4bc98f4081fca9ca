import { z } from "zod";
import { builtInDetector } from "../detectors/built-in";
import { createKeywordDetector } from "../detectors/custom/keyword-detector";
import { createRegexDetector } from "../detectors/custom/regex-detector";
import { DetectorConfigError } from "../detectors/custom/detector-config-error";

/**
 * A guardrail policy: which requests it applies to (scope), at which stage (the request sent
 * upstream, the answer sent back, or both), and rules — what to look for and what to do when it
 * is found. The same schema validates policies from the console, the CLI (`policies apply`) and
 * the config file (`SWITCHYARD_CONFIG`); docs/guardrails.md is its reference.
 */

export const POLICY_ACTIONS = ["block", "redact", "mask", "flag", "reroute"] as const;
export type PolicyAction = (typeof POLICY_ACTIONS)[number];

export const POLICY_STAGES = ["input", "output", "both"] as const;
export type PolicyStage = (typeof POLICY_STAGES)[number];

/** Detector categories a rule may select as a whole ("pii" = every built-in PII detector). */
export const DETECTOR_CATEGORIES = ["pii", "secret", "injection", "toxicity"] as const;

/** Policy and rule ids: short, stable, safe to show in error messages and logs. */
export const POLICY_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

const idSchema = z
  .string()
  .trim()
  .regex(POLICY_ID_PATTERN, "lower-case letters, digits, '.', '_' and '-' (at most 64)");

const detectorRef = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .superRefine((ref, ctx) => {
    if ((DETECTOR_CATEGORIES as readonly string[]).includes(ref) || builtInDetector(ref) !== undefined) return;
    ctx.addIssue({
      code: "custom",
      message: `unknown detector '${ref}': use a category (${DETECTOR_CATEGORIES.join(", ")}) or a built-in id like pii.email`,
    });
  });

const labelSchema = z
  .string()
  .trim()
  .regex(/^[A-Z][A-Z0-9_]{0,39}$/, "upper snake case, e.g. PROJECT_CODE");

export const regexRuleSchema = z.strictObject({
  label: labelSchema,
  pattern: z.string().min(1).max(512),
  flags: z.string().regex(/^[imsu]*$/, "only the flags i, m, s, u").optional(),
});

export const keywordRuleSchema = z.strictObject({
  label: labelSchema,
  words: z.array(z.string().min(1).max(256)).min(1).max(10_000),
  caseSensitive: z.boolean().optional(),
  wholeWord: z.boolean().optional(),
});

const modelList = z.array(z.string().trim().min(1).max(300)).min(1).max(500);

export const policyRuleSchema = z
  .strictObject({
    id: idSchema,
    /** Built-in detector ids (`pii.email`) or categories (`pii`, `secret`, `injection`, `toxicity`). */
    detectors: z.array(detectorRef).max(100).optional(),
    regex: z.array(regexRuleSchema).max(50).optional(),
    keywords: z.array(keywordRuleSchema).max(50).optional(),
    /** Characters over all scanned text (input: the request's messages; output: the answer). */
    maxChars: z.number().int().positive().max(100_000_000).optional(),
    /** Messages in the request (input only). */
    maxMessages: z.number().int().positive().max(100_000).optional(),
    /** The request's `model` must be one of these (input only). */
    allowedModels: modelList.optional(),
    /** The request's `model` must not be one of these (input only). */
    blockedModels: modelList.optional(),
    /**
     * Output only: the answer must be valid JSON, and valid against the schema when the request's
     * `response_format` is `json_schema`.
     */
    jsonSchema: z.boolean().optional(),
    /** Findings below this confidence are ignored (default 0.5). */
    minConfidence: z.number().min(0).max(1).optional(),
    action: z.enum(POLICY_ACTIONS),
    /** For `reroute`: the model or route the request is sent to instead. */
    rerouteTo: z.string().trim().min(1).max(300).optional(),
  })
  .superRefine((rule, ctx) => {
    const checks =
      (rule.detectors?.length ?? 0) +
      (rule.regex?.length ?? 0) +
      (rule.keywords?.length ?? 0) +
      (rule.maxChars !== undefined ? 1 : 0) +
      (rule.maxMessages !== undefined ? 1 : 0) +
      (rule.allowedModels !== undefined ? 1 : 0) +
      (rule.blockedModels !== undefined ? 1 : 0) +
      (rule.jsonSchema === true ? 1 : 0);
    if (checks === 0) {
      ctx.addIssue({
        code: "custom",
        message:
          "a rule needs something to check: detectors, regex, keywords, maxChars, maxMessages, allowedModels, blockedModels or jsonSchema",
      });
    }
    if (rule.action === "reroute" && rule.rerouteTo === undefined) {
      ctx.addIssue({ code: "custom", path: ["rerouteTo"], message: "a reroute rule needs rerouteTo: the model or route the request is sent to instead" });
    }
    if (rule.action !== "reroute" && rule.rerouteTo !== undefined) {
      ctx.addIssue({ code: "custom", path: ["rerouteTo"], message: "only reroute rules take rerouteTo" });
    }
    // Custom detectors are compiled here so a bad pattern is refused when the policy is saved,
    // never discovered while scanning a request.
    rule.regex?.forEach((r, i) => {
      try {
        createRegexDetector({ id: `custom.${rule.id}.${i}`, label: r.label, pattern: r.pattern, flags: r.flags });
      } catch (err) {
        ctx.addIssue({
          code: "custom",
          path: ["regex", i, "pattern"],
          message: err instanceof DetectorConfigError || err instanceof Error ? err.message : "invalid pattern",
        });
      }
    });
    rule.keywords?.forEach((k, i) => {
      try {
        createKeywordDetector({ id: `custom.${rule.id}.kw${i}`, label: k.label, keywords: k.words });
      } catch (err) {
        ctx.addIssue({
          code: "custom",
          path: ["keywords", i, "words"],
          message: err instanceof Error ? err.message : "invalid keyword list",
        });
      }
    });
  });

export const policyScopeSchema = z.strictObject({
  /** API key ids the policy applies to. */
  keys: z.array(z.string().trim().min(1).max(200)).min(1).max(1000).optional(),
  /** Route names (the request's `model` names the route). */
  routes: z.array(z.string().trim().min(1).max(300)).min(1).max(500).optional(),
  /** Model names as the client sends them (`gpt-4o`, `openai/gpt-4o`). */
  models: z.array(z.string().trim().min(1).max(300)).min(1).max(500).optional(),
  /** `x-switchyard-metadata` values (or the key's metadata) that must match exactly. */
  metadata: z.record(z.string().max(100), z.string().max(500)).optional(),
});

export const policySchema = z
  .strictObject({
    id: idSchema,
    name: z.string().trim().min(1).max(120),
    description: z.string().max(2000).optional(),
    enabled: z.boolean().default(true),
    /** Lower runs first; ties by id. */
    priority: z.number().int().min(0).max(1_000_000).default(100),
    stage: z.enum(POLICY_STAGES).default("input"),
    /** Absent or empty: every request of the org. Given conditions must all hold. */
    scope: policyScopeSchema.default({}),
    rules: z.array(policyRuleSchema).min(1).max(50),
  })
  .superRefine((policy, ctx) => {
    const seen = new Set<string>();
    policy.rules.forEach((rule, i) => {
      if (seen.has(rule.id)) ctx.addIssue({ code: "custom", path: ["rules", i, "id"], message: `duplicate rule id '${rule.id}'` });
      seen.add(rule.id);
      const inputOnly = rule.maxMessages !== undefined || rule.allowedModels !== undefined || rule.blockedModels !== undefined;
      if (policy.stage === "output" && inputOnly) {
        ctx.addIssue({ code: "custom", path: ["rules", i], message: "maxMessages, allowedModels and blockedModels check requests: use stage input or both" });
      }
      if (policy.stage === "input" && rule.jsonSchema === true) {
        ctx.addIssue({ code: "custom", path: ["rules", i, "jsonSchema"], message: "jsonSchema checks answers: use stage output or both" });
      }
      if (policy.stage === "output" && rule.action === "reroute") {
        ctx.addIssue({ code: "custom", path: ["rules", i, "action"], message: "reroute happens before the call: use stage input or both" });
      }
    });
  });

export type Policy = z.output<typeof policySchema>;
export type PolicyInput = z.input<typeof policySchema>;
export type PolicyRule = z.output<typeof policyRuleSchema>;
export type PolicyScope = z.output<typeof policyScopeSchema>;

/** A set of policies (a file for `policies apply`, the config file's `policies:`): ids unique. */
export const policyListSchema = z.array(policySchema).max(500).superRefine((list, ctx) => {
  const seen = new Set<string>();
  list.forEach((p, i) => {
    if (seen.has(p.id)) ctx.addIssue({ code: "custom", path: [i, "id"], message: `duplicate policy id '${p.id}'` });
    seen.add(p.id);
  });
});

/** The document `policies apply` reads: `{ policies: [...] }` (or the bare list). */
export const policyDocumentSchema = z.preprocess(
  (v) => (Array.isArray(v) ? { policies: v } : v),
  z.strictObject({ policies: policyListSchema }),
);
