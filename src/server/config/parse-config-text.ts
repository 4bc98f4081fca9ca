import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node as YamlNode,
} from "yaml";
import type { SourcePosition } from "./config-error";
import type { ValuePath } from "./interpolate";

/**
 * The config file's text → a plain value, plus a way back from a value's path to where it is
 * written. YAML is parsed with `yaml`'s document API (which keeps every node's source range); JSON
 * is parsed with `JSON.parse` for JSON's exact rules, and located through the same YAML document
 * (JSON is YAML 1.2), so both formats report line:column.
 */

export type ConfigFormat = "yaml" | "json";

export interface TextProblem {
  position: SourcePosition | null;
  message: string;
}

export interface ParsedConfigText {
  /** The parsed document; `undefined` when the text does not parse. */
  value: unknown;
  problems: TextProblem[];
  warnings: TextProblem[];
  /**
   * Where the value at `path` is written (`"key"`: where its key is written). A path that goes
   * past what the file has (a missing field) lands on the nearest enclosing node.
   */
  locate(path: ValuePath, what?: "value" | "key"): SourcePosition | null;
}

/** `.json` → JSON, `.yaml`/`.yml` → YAML; anything else by its first character. */
export function detectFormat(file: string, text: string): ConfigFormat {
  const lower = file.toLowerCase();
  if (lower.endsWith(".json")) return "json";
  if (lower.endsWith(".yaml") || lower.endsWith(".yml")) return "yaml";
  return /^\s*\{/.test(text) ? "json" : "yaml";
}

/** yaml's messages end in " at line L, column C:" and a code frame; the position is reported apart. */
function yamlMessage(message: string): string {
  const first = message.split("\n", 1)[0] ?? message;
  return first.replace(/ at line \d+, column \d+:?\s*$/, "");
}

function positionOfOffset(text: string, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: offset - lineStart + 1 };
}

function createLocator(doc: Document, lines: LineCounter) {
  const at = (node: { range?: readonly number[] | null } | null | undefined) => {
    const start = node?.range?.[0];
    return typeof start === "number" ? lines.linePos(start) : null;
  };
  return (path: ValuePath, what: "value" | "key" = "value"): SourcePosition | null => {
    let node: unknown = doc.contents;
    let best = at(doc.contents as YamlNode | null);
    for (let i = 0; i < path.length; i++) {
      const segment = path[i]!;
      if (isAlias(node)) node = node.resolve(doc);
      const isLast = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find(
          (p) => isScalar(p.key) && String(p.key.value) === String(segment),
        );
        if (!pair) return best;
        const keyPos = at(pair.key as YamlNode);
        const value = pair.value as YamlNode | null;
        const valuePos = at(value);
        // An empty value (`key:` and nothing) has no text of its own: point at its key.
        const empty =
          !value || (isScalar(value) && value.range && value.range[0] === value.range[1]);
        if (isLast)
          return what === "key" || empty ? (keyPos ?? best) : (valuePos ?? keyPos ?? best);
        best = valuePos ?? keyPos ?? best;
        node = value;
      } else if (isSeq(node)) {
        const item =
          typeof segment === "number" ? (node.items[segment] as YamlNode | undefined) : undefined;
        if (!item) return best;
        best = at(item) ?? best;
        node = item;
      } else {
        return best;
      }
    }
    return best;
  };
}

function parseYaml(text: string): ParsedConfigText {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const locate = createLocator(doc, lines);
  const toProblem = (e: {
    message: string;
    linePos?: [SourcePosition] | [SourcePosition, SourcePosition];
  }) => ({
    position: e.linePos?.[0] ?? null,
    message: yamlMessage(e.message),
  });
  const warnings = doc.warnings.map(toProblem);
  if (doc.errors.length > 0) {
    return { value: undefined, problems: doc.errors.map(toProblem), warnings, locate };
  }
  try {
    return { value: doc.toJS({ maxAliasCount: 100 }), problems: [], warnings, locate };
  } catch (err) {
    // Alias bombs and similar: the document is well-formed but cannot be turned into data.
    const message = err instanceof Error ? err.message : String(err);
    return { value: undefined, problems: [{ position: null, message }], warnings, locate };
  }
}

function parseJson(text: string): ParsedConfigText {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const locate = createLocator(doc, lines);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const offset = /at position (\d+)/.exec(message);
    return {
      value: undefined,
      problems: [
        {
          position: offset ? positionOfOffset(text, Number(offset[1])) : null,
          message: message
            .replace(/\s*\(line \d+ column \d+\)/, "")
            .replace(/ in JSON at position \d+.*$/, ""),
        },
      ],
      warnings: [],
      locate,
    };
  }
  // JSON.parse keeps the last of two equal keys without a word; a config must not.
  const duplicates = doc.errors
    .filter((e) => e.code === "DUPLICATE_KEY")
    .map((e) => ({ position: e.linePos?.[0] ?? null, message: yamlMessage(e.message) }));
  return {
    value: duplicates.length > 0 ? undefined : value,
    problems: duplicates,
    warnings: [],
    locate,
  };
}

export function parseConfigText(text: string, format: ConfigFormat): ParsedConfigText {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return format === "json" ? parseJson(source) : parseYaml(source);
}
