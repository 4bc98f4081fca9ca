/**
 * `${VAR}` / `${VAR:-default}` references in the config file's string values, resolved after
 * parsing: a substituted secret full of YAML-special characters (`: # ' "`) stays one string and
 * can never change the document's structure. `$${X}` is a literal `${X}`.
 */

export type Environment = Readonly<Record<string, string | undefined>>;

/** Where a problem is, as a path of map keys and list indices from the document root. */
export type ValuePath = readonly (string | number)[];

export interface InterpolationProblem {
  path: ValuePath;
  message: string;
}

const REFERENCE = /\$(\$?)\{([^}]*)\}/g;
const NAME_AND_DEFAULT = /^([A-Za-z_][A-Za-z0-9_]*)(?::-([\s\S]*))?$/;

/** One string: the substituted text, or why it cannot be substituted (every reason, in order). */
export function interpolateString(
  text: string,
  env: Environment,
): { value: string; errors: string[] } {
  if (!text.includes("${")) return { value: text, errors: [] };
  const errors: string[] = [];
  const value = text.replace(REFERENCE, (whole, escaped: string, inner: string) => {
    if (escaped) return whole.slice(1);
    const match = NAME_AND_DEFAULT.exec(inner);
    if (!match) {
      errors.push(
        `"\${${inner}}" is not a valid reference: use \${NAME} or \${NAME:-default} (write $\${...} for a literal "\${")`,
      );
      return whole;
    }
    const [, name, fallback] = match as unknown as [string, string, string | undefined];
    if (fallback?.includes("${")) {
      errors.push(`"\${${inner}}": a default cannot contain another reference`);
      return whole;
    }
    const set = env[name];
    // Like the shell: `:-` also applies when the variable is set but empty.
    if (fallback !== undefined) return set === undefined || set === "" ? fallback : set;
    if (set === undefined) {
      errors.push(
        `environment variable ${name} is not set (write \${${name}:-default} to give it a default)`,
      );
      return whole;
    }
    return set;
  });
  return { value, errors };
}

/** Every string value in a parsed document (keys are left alone), as a new tree. */
export function interpolateTree(
  root: unknown,
  env: Environment,
): { value: unknown; problems: InterpolationProblem[] } {
  const problems: InterpolationProblem[] = [];
  const walk = (node: unknown, path: (string | number)[]): unknown => {
    if (typeof node === "string") {
      const { value, errors } = interpolateString(node, env);
      for (const message of errors) problems.push({ path: [...path], message });
      return value;
    }
    if (Array.isArray(node)) return node.map((item, i) => walk(item, [...path, i]));
    if (node !== null && typeof node === "object") {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(node)) {
        // defineProperty: a key named `__proto__` stays data, never a prototype.
        Object.defineProperty(out, key, {
          value: walk(item, [...path, key]),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    return node;
  };
  const value = walk(root, []);
  return { value, problems };
}
