import { sql, type SQL } from "drizzle-orm";
import type { AttributeFilter } from "~/gateway/knowledge/types";

/**
 * OpenAI's attribute filters as a SQL condition on `knowledge_chunks.metadata -> 'attributes'`
 * (the file's attributes, copied onto each chunk). Comparisons are between JSON values of the
 * same type (numbers numerically, strings by text); a value of another type, or a missing
 * attribute, never matches `eq`/`gt`/…/`in` and always matches `ne`/`nin`.
 */
export function attributeCondition(filter: AttributeFilter): SQL {
  if ("filters" in filter) {
    const parts = filter.filters.map(attributeCondition);
    return sql`(${sql.join(parts, filter.type === "and" ? sql` and ` : sql` or `)})`;
  }
  const attribute = sql`(metadata -> 'attributes' -> ${filter.key})`;
  const value = sql`${JSON.stringify(filter.value)}::jsonb`;
  const sameType = sql`jsonb_typeof(${attribute}) = jsonb_typeof(${value})`;
  switch (filter.type) {
    case "eq":
      return sql`coalesce(${attribute} = ${value}, false)`;
    case "ne":
      return sql`${attribute} is distinct from ${value}`;
    case "gt":
      return sql`coalesce(${sameType} and ${attribute} > ${value}, false)`;
    case "gte":
      return sql`coalesce(${sameType} and ${attribute} >= ${value}, false)`;
    case "lt":
      return sql`coalesce(${sameType} and ${attribute} < ${value}, false)`;
    case "lte":
      return sql`coalesce(${sameType} and ${attribute} <= ${value}, false)`;
    case "in":
      return sql`coalesce(${value} @> jsonb_build_array(${attribute}), false)`;
    case "nin":
      return sql`not coalesce(${value} @> jsonb_build_array(${attribute}), false)`;
  }
}
