import { LineCounter, parseDocument, stringify, type Document } from "yaml";
import type { RouteDefinition, RouteDefinitionInput } from "~/gateway/routing/route-schema";
import { checkRouteDefinition } from "./route-validation";

/**
 * Routes as text, YAML or JSON (JSON is YAML 1.2, so one parser reads both and can say where in
 * the text each value is): the console's text mode edits one route, `routes apply` (CLI and
 * console) reads a document of several — `routes:` with a list, a bare list, or one route.
 * Shared by the browser and the server, so both report the same problems at the same lines.
 */

export interface DocumentProblem {
  /** 1-based; null when the problem has no place in the text (e.g. an empty document). */
  line: number | null;
  col: number | null;
  /** Where in the document (`routes[1].targets[0].model`); "" for the document itself. */
  path: string;
  message: string;
}

type Segment = string | number;

/** `routes[1].targets[0].model`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out === "" ? String(segment) : `.${String(segment)}`;
  }
  return out;
}

/** `line 4:7 routes[0].targets: Too small` — one line per problem, for the CLI and messages. */
export function formatDocumentProblem(problem: DocumentProblem): string {
  const where = problem.line === null ? "" : `line ${problem.line}:${problem.col ?? 1} `;
  const path = problem.path ? `${problem.path}: ` : "";
  return `${where}${path}${problem.message}`;
}

/** How many problems a message lists. */
const PROBLEMS_LISTED = 25;

/** All of a document's problems as one message (the CLI prints it, the API returns it). */
export function documentProblemsMessage(problems: readonly DocumentProblem[]): string {
  const n = problems.length;
  const listed = problems.slice(0, PROBLEMS_LISTED).map(formatDocumentProblem);
  if (n > PROBLEMS_LISTED) listed.push(`… and ${n - PROBLEMS_LISTED} more`);
  return `The routes document has ${n} problem${n === 1 ? "" : "s"}; nothing was changed.\n${listed.join("\n")}`;
}

interface ParsedText {
  value: unknown;
  problems: DocumentProblem[];
  locate(path: readonly Segment[]): { line: number; col: number } | null;
}

function yamlMessage(message: string): string {
  const first = message.split("\n", 1)[0] ?? message;
  return first.replace(/ at line \d+, column \d+:?\s*$/, "");
}

function parseText(text: string): ParsedText {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = new LineCounter();
  const doc: Document = parseDocument(source, {
    lineCounter: lines,
    prettyErrors: true,
    uniqueKeys: true,
  });
  // The nearest node that exists on the way to `path` (a missing field points at its parent).
  const locate = (path: readonly Segment[]) => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = depth === 0 ? doc.contents : (doc.getIn(path.slice(0, depth), true) as unknown);
      const range = (node as { range?: readonly number[] | null } | null | undefined)?.range;
      if (range && typeof range[0] === "number") return lines.linePos(range[0]);
    }
    return null;
  };
  if (doc.errors.length > 0) {
    return {
      value: undefined,
      problems: doc.errors.map((e) => ({
        line: e.linePos?.[0]?.line ?? null,
        col: e.linePos?.[0]?.col ?? null,
        path: "",
        message: yamlMessage(e.message),
      })),
      locate,
    };
  }
  try {
    return { value: doc.toJS({ maxAliasCount: 100 }), problems: [], locate };
  } catch (err) {
    // Alias bombs and the like: well-formed text that cannot become data.
    const message = err instanceof Error ? err.message : String(err);
    return { value: undefined, problems: [{ line: null, col: null, path: "", message }], locate };
  }
}

function problemAt(parsed: ParsedText, path: Segment[], message: string): DocumentProblem {
  const position = parsed.locate(path);
  return {
    line: position?.line ?? null,
    col: position?.col ?? null,
    path: formatPath(path),
    message,
  };
}

function routeProblemsAt(
  parsed: ParsedText,
  prefix: Segment[],
  value: unknown,
): { route: RouteDefinition | null; problems: DocumentProblem[] } {
  const checked = checkRouteDefinition(value);
  if (checked.ok) return { route: checked.route, problems: [] };
  return {
    route: null,
    problems: checked.problems.map((p) =>
      problemAt(
        parsed,
        [...prefix, ...(p.path === "" ? [] : p.path.split(".").map(toSegment))],
        p.message,
      ),
    ),
  };
}

const toSegment = (s: string): Segment => (/^\d+$/.test(s) ? Number(s) : s);

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/** The text as data, whatever it holds (null with the problems when it does not parse). */
export function readDocumentValue(
  text: string,
): { ok: true; value: unknown } | { ok: false; problems: DocumentProblem[] } {
  const parsed = parseText(text);
  return parsed.problems.length > 0
    ? { ok: false, problems: parsed.problems }
    : { ok: true, value: parsed.value };
}

export type RouteTextResult =
  { ok: true; route: RouteDefinition } | { ok: false; problems: DocumentProblem[] };

/** One route written as YAML or JSON (the console's text mode). */
export function parseRouteText(text: string): RouteTextResult {
  const parsed = parseText(text);
  if (parsed.problems.length > 0) return { ok: false, problems: parsed.problems };
  if (!isRecord(parsed.value)) {
    return {
      ok: false,
      problems: [
        problemAt(parsed, [], "Write one route: a mapping with name, strategy and targets"),
      ],
    };
  }
  const { route, problems } = routeProblemsAt(parsed, [], parsed.value);
  return route ? { ok: true, route } : { ok: false, problems };
}

export type RoutesDocumentResult =
  { ok: true; routes: RouteDefinition[] } | { ok: false; problems: DocumentProblem[] };

/**
 * A document of routes: `routes:` with a list, a bare list, or a single route. Every route is
 * checked and every problem reported (not only the first); names must be unique in the document.
 */
export function parseRoutesDocument(text: string): RoutesDocumentResult {
  const parsed = parseText(text);
  if (parsed.problems.length > 0) return { ok: false, problems: parsed.problems };
  const value = parsed.value;
  let items: unknown[];
  let prefix: Segment[];
  const problems: DocumentProblem[] = [];
  if (Array.isArray(value)) {
    items = value;
    prefix = [];
  } else if (isRecord(value) && "routes" in value) {
    for (const key of Object.keys(value)) {
      if (key !== "routes") {
        problems.push(problemAt(parsed, [key], `Unknown top-level field "${key}" (only "routes")`));
      }
    }
    if (!Array.isArray(value.routes)) {
      problems.push(problemAt(parsed, ["routes"], "Expected a list of routes"));
      return { ok: false, problems };
    }
    items = value.routes;
    prefix = ["routes"];
  } else if (isRecord(value) && "targets" in value) {
    const { route, problems: found } = routeProblemsAt(parsed, [], value);
    return route ? { ok: true, routes: [route] } : { ok: false, problems: found };
  } else {
    return {
      ok: false,
      problems: [
        problemAt(
          parsed,
          [],
          value === undefined || value === null
            ? "The document is empty: write `routes:` followed by a list of routes"
            : "Expected `routes:` with a list of routes, a list of routes, or one route",
        ),
      ],
    };
  }
  if (items.length === 0) {
    problems.push(problemAt(parsed, prefix, "The list of routes is empty"));
  }
  const routes: RouteDefinition[] = [];
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const found = routeProblemsAt(parsed, [...prefix, i], item);
    problems.push(...found.problems);
    if (!found.route) return;
    const first = seen.get(found.route.name);
    if (first !== undefined) {
      problems.push(
        problemAt(
          parsed,
          [...prefix, i, "name"],
          `Duplicate route name "${found.route.name}" (already used by ${formatPath([...prefix, first])})`,
        ),
      );
      return;
    }
    seen.set(found.route.name, i);
    routes.push(found.route);
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, routes };
}

/** A route (validated or as written) as YAML, for the text mode and for exports. */
export function routeToYaml(
  route: RouteDefinition | RouteDefinitionInput | Record<string, unknown>,
): string {
  return stringify(route, { lineWidth: 0 });
}

/** What an org's first routes file can look like (the empty state and the CLI help show it). */
export const SAMPLE_ROUTES_YAML = `routes:
  - name: smart
    description: Try the fast model first, fall back to the big one
    strategy: fallback
    targets:
      - model: openai/gpt-4o-mini
      - model: anthropic/claude-3-5-haiku-latest
    retry:
      attempts: 2
  - name: ab-test
    strategy: weighted
    targets:
      - model: openai/gpt-4o-mini
        weight: 3
      - model: mock/mock-gpt
        weight: 1
`;
