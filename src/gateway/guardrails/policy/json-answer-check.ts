import { Ajv, type ValidateFunction } from "ajv";

/**
 * Checks an answer against what the request's `response_format` asked for: valid JSON for
 * `json_object`, valid against the schema for `json_schema`. Compiled schemas are kept (bounded)
 * because clients send the same schema with every request.
 */

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

const ajv = new Ajv({ strict: false, allErrors: false, validateSchema: false });
const compiled = new Map<string, ValidateFunction | null>();
const MAX_SCHEMAS = 200;

export type JsonExpectation = { kind: "object" } | { kind: "schema"; schema: Json };

/** What the request's `response_format` asks of the answer, or null (free text). */
export function jsonExpectation(body: Json): JsonExpectation | null {
  const format = body.response_format;
  if (!isObject(format)) return null;
  if (format.type === "json_object") return { kind: "object" };
  if (format.type === "json_schema" && isObject(format.json_schema)) {
    const schema = format.json_schema.schema;
    return isObject(schema) ? { kind: "schema", schema } : { kind: "object" };
  }
  return null;
}

function validatorFor(schema: Json): ValidateFunction | null {
  const key = JSON.stringify(schema);
  if (compiled.has(key)) return compiled.get(key)!;
  let fn: ValidateFunction | null;
  try {
    fn = ajv.compile(schema);
  } catch {
    // A schema ajv cannot compile is the provider's problem to reject; the answer is only
    // checked for being JSON.
    fn = null;
  }
  if (compiled.size >= MAX_SCHEMAS) compiled.delete(compiled.keys().next().value!);
  compiled.set(key, fn);
  return fn;
}

/** Null when the answer satisfies the expectation, else the hit label. */
export function checkJsonAnswer(text: string, expectation: JsonExpectation): "INVALID_JSON" | "SCHEMA_MISMATCH" | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return "INVALID_JSON";
  }
  if (expectation.kind === "object") return null;
  const validate = validatorFor(expectation.schema);
  if (validate === null) return null;
  return validate(value) ? null : "SCHEMA_MISMATCH";
}
