import type { Policy } from "~/gateway/guardrails/policy/schema";
import { readFileSync } from "node:fs";
import type { z } from "zod";
import type { RouteDefinition } from "~/gateway/routing/route-schema";
import { ConfigError, formatConfigProblem, type ConfigProblem } from "./config-error";
import {
  createConfigSchema,
  findDuplicateNames,
  type ConfigProviderDefinition,
} from "./config-schema";
import { interpolateTree, type Environment, type ValuePath } from "./interpolate";
import { detectFormat, parseConfigText, type ParsedConfigText } from "./parse-config-text";

/**
 * Reads and validates the config file: parse (YAML or JSON) → `${VAR}` interpolation in string
 * values → schema. Any problem makes the whole file unusable: a `ConfigError` lists all of them
 * with their line and column, so one run shows everything there is to fix.
 */

export interface LoadConfigOptions {
  /** Adapter types this build has (the provider registry's). */
  providerTypes: readonly string[];
  /**
   * Provider ids that exist besides the file's own (from env, built in). Route targets naming any
   * other provider produce a warning, not an error: they may be org providers.
   */
  knownProviderIds?: readonly string[];
}

export interface LoadedConfig {
  /** The file as named. */
  file: string;
  providers: ConfigProviderDefinition[];
  routes: RouteDefinition[];
  /** Guardrail policies every org runs. */
  policies: Policy[];
  /** Formatted like problems (`file:LINE:COL: path: message`); worth logging, not fatal. */
  warnings: string[];
}

const pathText = (path: ValuePath) => path.join(".");

/** Whether `path` is `prefix` or inside it. */
const within = (path: ValuePath, prefix: ValuePath) =>
  prefix.length <= path.length && prefix.every((seg, i) => String(seg) === String(path[i]));

function zodProblems(
  issues: readonly z.core.$ZodIssue[],
  file: string,
  parsed: ParsedConfigText,
): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
    if (issue.code === "unrecognized_keys") {
      // One line per key, at the key itself: that is the typo to fix.
      for (const key of issue.keys) {
        out.push({
          file,
          position: parsed.locate([...path, key], "key"),
          path: pathText([...path, key]),
          message: "unknown key (not part of the config schema)",
        });
      }
      continue;
    }
    let message = issue.message;
    if (issue.code === "invalid_type" && /received undefined$/.test(message)) {
      message = `required (expected ${issue.expected})`;
    } else if (issue.code === "invalid_type" && path.length === 0) {
      message = `${message}: the file must be a mapping with "providers" and/or "routes"`;
    }
    out.push({ file, position: parsed.locate(path), path: pathText(path), message });
  }
  return out;
}

function routeTargetWarnings(
  routes: readonly RouteDefinition[],
  ownIds: ReadonlySet<string>,
  knownIds: readonly string[],
  file: string,
  parsed: ParsedConfigText,
): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  routes.forEach((route, r) => {
    route.targets.forEach((target, t) => {
      const slash = target.model.indexOf("/");
      if (slash <= 0) return;
      const provider = target.model.slice(0, slash);
      if (ownIds.has(provider) || knownIds.includes(provider)) return;
      const path = ["routes", r, "targets", t, "model"];
      out.push({
        file,
        position: parsed.locate(path),
        path: pathText(path),
        message: `provider "${provider}" is not declared in this file nor built in; this target only works for orgs that have a provider of that name`,
      });
    });
  });
  return out;
}

/** Validates config text (`file` names it in messages). Throws `ConfigError`. */
export function parseSwitchyardConfig(
  text: string,
  file: string,
  env: Environment,
  options: LoadConfigOptions,
): LoadedConfig {
  const parsed = parseConfigText(text, detectFormat(file, text));
  const warnings = parsed.warnings.map((w) =>
    formatConfigProblem({ file, position: w.position, path: "", message: w.message }),
  );
  if (parsed.problems.length > 0) {
    throw new ConfigError(
      file,
      parsed.problems.map((p) => ({ file, position: p.position, path: "", message: p.message })),
    );
  }
  // An empty file is an empty config (no providers, no routes).
  const document = parsed.value ?? {};

  const interpolated = interpolateTree(document, env);
  const problems: ConfigProblem[] = interpolated.problems.map((p) => ({
    file,
    position: parsed.locate(p.path),
    path: pathText(p.path),
    message: p.message,
  }));
  for (const p of findDuplicateNames(interpolated.value)) {
    problems.push({
      file,
      position: parsed.locate(p.path),
      path: pathText(p.path),
      message: p.message,
    });
  }
  const result = createConfigSchema(options.providerTypes).safeParse(interpolated.value);
  if (!result.success) {
    // A field whose reference did not resolve has already been reported; its validation errors are noise.
    const unresolved = interpolated.problems.map((p) => p.path);
    const relevant = result.error.issues.filter(
      (issue) => !unresolved.some((u) => within(issue.path as ValuePath, u)),
    );
    problems.push(...zodProblems(relevant, file, parsed));
  }
  if (problems.length > 0 || !result.success) throw new ConfigError(file, problems);

  const ownIds = new Set(result.data.providers.map((p) => p.id));
  const targetWarnings = routeTargetWarnings(
    result.data.routes,
    ownIds,
    options.knownProviderIds ?? [],
    file,
    parsed,
  );
  return {
    file,
    providers: result.data.providers,
    routes: result.data.routes,
    policies: result.data.policies,
    warnings: [...warnings, ...targetWarnings.map(formatConfigProblem)],
  };
}

/** Reads and validates the config file at `path`. Throws `ConfigError` (also when unreadable). */
export function loadSwitchyardConfig(
  path: string,
  env: Environment,
  options: LoadConfigOptions,
): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const reason =
      (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
    const message =
      reason === "ENOENT"
        ? "no such file (SWITCHYARD_CONFIG names a file that does not exist)"
        : reason === "EISDIR"
          ? "is a directory, not a config file"
          : `cannot be read (${reason})`;
    throw new ConfigError(path, [{ file: path, position: null, path: "", message }]);
  }
  return parseSwitchyardConfig(text, path, env, options);
}
