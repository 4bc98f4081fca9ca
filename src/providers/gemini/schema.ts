import type { JsonObject } from "../types";
import { isObject } from "./json";

/**
 * JSON Schema (as OpenAI clients write it for tool parameters and structured outputs) → the
 * OpenAPI-3.0 subset Gemini's `Schema` accepts. Gemini answers 400 for keys outside its subset
 * (`additionalProperties`, `$schema`, `strict`, `$ref`, …), so this keeps a whitelist and rewrites
 * what has an equivalent:
 *  - `$ref` into `$defs`/`definitions` is inlined (a recursive reference becomes a bare object);
 *  - `type: [T, "null"]` and `anyOf: [X, {type: "null"}]` become `nullable: true`;
 *  - `oneOf` becomes `anyOf`, `allOf` is merged, `const` becomes a one-value `enum`;
 *  - `enum` is kept for strings only (Gemini enums are strings); other enums move into the
 *    description so the model still sees them;
 *  - `format` is kept only where Gemini supports it; `required` only lists defined properties.
 * The cleaned `parameters`/`responseSchema` works on every Gemini model, unlike the newer
 * `parametersJsonSchema`/`responseJsonSchema` fields.
 */

const KEPT_SCALARS = [
  "title",
  "description",
  "default",
  "example",
  "minItems",
  "maxItems",
  "minLength",
  "maxLength",
  "minProperties",
  "maxProperties",
  "minimum",
  "maximum",
  "pattern",
  "propertyOrdering",
] as const;

const FORMATS: Record<string, ReadonlySet<string>> = {
  string: new Set(["enum", "date-time"]),
  number: new Set(["float", "double"]),
  integer: new Set(["int32", "int64"]),
};

/** Deeper than this, a (hostile or generated) schema is cut off with a bare object. */
const MAX_DEPTH = 32;

interface Context {
  defs: JsonObject;
  /** `$ref`s being expanded on the current path (recursion guard). */
  expanding: Set<string>;
}

export function cleanSchema(schema: unknown): JsonObject {
  if (!isObject(schema)) return { type: "object" };
  const defs: JsonObject = {
    ...(isObject(schema.definitions) ? schema.definitions : {}),
    ...(isObject(schema.$defs) ? schema.$defs : {}),
  };
  return clean(schema, { defs, expanding: new Set() }, 0);
}

/** True for an object schema without properties (a tool taking no arguments). */
export function isEmptyObjectSchema(schema: JsonObject): boolean {
  return (
    schema.type === "object" &&
    (!isObject(schema.properties) || Object.keys(schema.properties).length === 0)
  );
}

function resolveRef(ref: string, ctx: Context): unknown {
  const match = /^#\/(?:\$defs|definitions)\/(.+)$/.exec(ref);
  if (!match) return undefined;
  const name = match[1]!.replace(/~1/g, "/").replace(/~0/g, "~");
  return ctx.defs[name];
}

function clean(input: JsonObject, ctx: Context, depth: number): JsonObject {
  if (depth > MAX_DEPTH) return { type: "object" };

  if (typeof input.$ref === "string") {
    const ref = input.$ref;
    const target = resolveRef(ref, ctx);
    if (!isObject(target) || ctx.expanding.has(ref)) {
      return withDescription({ type: "object" }, input.description);
    }
    ctx.expanding.add(ref);
    // Sibling keywords (a description next to the $ref) win over the definition's.
    const { $ref: _ref, ...siblings } = input;
    const out = clean({ ...target, ...siblings }, ctx, depth + 1);
    ctx.expanding.delete(ref);
    return out;
  }

  if (Array.isArray(input.allOf) && input.allOf.length > 0) {
    const { allOf, ...rest } = input;
    return clean(mergeAll([rest, ...allOf.filter(isObject)]), ctx, depth + 1);
  }

  const out: JsonObject = {};
  let nullable = input.nullable === true;

  // type
  let type: string | undefined;
  if (typeof input.type === "string") {
    if (input.type === "null") nullable = true;
    else type = input.type;
  } else if (Array.isArray(input.type)) {
    const types = input.type.filter((t): t is string => typeof t === "string");
    if (types.includes("null")) nullable = true;
    const rest = types.filter((t) => t !== "null");
    if (rest.length === 1) type = rest[0];
    else if (rest.length > 1) out.anyOf = rest.map((t) => ({ type: t }));
  }

  // anyOf / oneOf
  const alternatives = Array.isArray(input.anyOf)
    ? input.anyOf
    : Array.isArray(input.oneOf)
      ? input.oneOf
      : null;
  if (alternatives) {
    const kept = alternatives.filter(isObject).filter((alt) => {
      if (alt.type === "null") {
        nullable = true;
        return false;
      }
      return true;
    });
    if (kept.length === 1 && type === undefined) {
      // `X | null`: the one alternative is the schema itself.
      const { anyOf: _a, oneOf: _o, ...rest } = input;
      const merged = clean(
        { ...rest, ...kept[0], type: kept[0]!.type ?? rest.type },
        ctx,
        depth + 1,
      );
      if (nullable) merged.nullable = true;
      return merged;
    }
    if (kept.length > 0) out.anyOf = kept.map((alt) => clean(alt, ctx, depth + 1));
  }

  // enum / const
  let values: unknown[] | null = Array.isArray(input.enum)
    ? input.enum
    : "const" in input
      ? [input.const]
      : null;
  if (values) {
    if (values.includes(null)) nullable = true;
    values = values.filter((v) => v !== null);
  }
  let description = typeof input.description === "string" ? input.description : undefined;
  if (values && values.length > 0) {
    if (values.every((v) => typeof v === "string") && (type === undefined || type === "string")) {
      type = "string";
      out.enum = values;
    } else {
      const listed = `Allowed values: ${values.map((v) => JSON.stringify(v)).join(", ")}.`;
      description = description ? `${description} ${listed}` : listed;
    }
  }

  if (type === undefined && isObject(input.properties)) type = "object";
  if (type === undefined && input.items !== undefined) type = "array";
  if (type !== undefined) out.type = type;

  for (const key of KEPT_SCALARS) {
    if (input[key] !== undefined && key !== "description") out[key] = input[key];
  }
  if (description !== undefined) out.description = description;
  if (typeof input.format === "string" && type !== undefined && FORMATS[type]?.has(input.format)) {
    out.format = input.format;
  }

  if (isObject(input.properties)) {
    const properties: JsonObject = {};
    for (const [name, value] of Object.entries(input.properties)) {
      properties[name] = isObject(value) ? clean(value, ctx, depth + 1) : { type: "string" };
    }
    if (Object.keys(properties).length > 0) {
      out.properties = properties;
      if (Array.isArray(input.required)) {
        const required = input.required.filter(
          (r): r is string => typeof r === "string" && r in properties,
        );
        if (required.length > 0) out.required = required;
      }
    }
  }

  if (input.items !== undefined) {
    const items = Array.isArray(input.items) ? input.items[0] : input.items;
    if (isObject(items)) out.items = clean(items, ctx, depth + 1);
  }
  if (type === "array" && out.items === undefined) out.items = { type: "string" };

  if (nullable) out.nullable = true;
  return out;
}

function withDescription(schema: JsonObject, description: unknown): JsonObject {
  return typeof description === "string" ? { ...schema, description } : schema;
}

/** `allOf` members merged into one schema (properties and `required` combined). */
function mergeAll(members: JsonObject[]): JsonObject {
  const out: JsonObject = {};
  const properties: JsonObject = {};
  const required: string[] = [];
  for (const m of members) {
    for (const [k, v] of Object.entries(m)) {
      if (k === "properties" && isObject(v)) Object.assign(properties, v);
      else if (k === "required" && Array.isArray(v)) {
        for (const r of v) if (typeof r === "string" && !required.includes(r)) required.push(r);
      } else if (!(k in out)) out[k] = v;
    }
  }
  if (Object.keys(properties).length > 0) out.properties = properties;
  if (required.length > 0) out.required = required;
  return out;
}
