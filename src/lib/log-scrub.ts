/**
 * What the process logger must never print: credential-bearing fields (an Authorization header,
 * a provider's API key, a password, a cookie) by name, and key-shaped strings (Switchyard `sy-`
 * keys, `sk-…` provider keys, bearer/basic credentials) wherever they appear in a message or a
 * field value (e.g. an upstream error that quotes the key it was sent).
 */

/** Field names whose values are credentials (compared lower-cased, `-`/`_` ignored). */
const SECRET_FIELD =
  /^(authorization|proxyauthorization|xapikey|apikey|apikeys|password|passwd|secret|clientsecret|token|accesstoken|refreshtoken|cookie|setcookie|privatekey|encryptionkey|authsecret)$/;

const SECRET_TEXT =
  /\b(?:sy|sk)-[A-Za-z0-9_-]{16,}|\bsk-ant-[A-Za-z0-9_-]{16,}|\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}|\bAIza[0-9A-Za-z_-]{30,}/g;

export function isSecretFieldName(name: string): boolean {
  return SECRET_FIELD.test(name.toLowerCase().replace(/[-_]/g, ""));
}

/** `text` with key-shaped substrings replaced by `[REDACTED]`. */
export function scrubText(text: string): string {
  return text.replace(SECRET_TEXT, (_m, scheme?: string) => (scheme ? `${scheme} [REDACTED]` : "[REDACTED]"));
}

/** JSON of `fields` with secret-named fields and key-shaped strings redacted, at any depth. */
export function scrubbedJson(fields: Record<string, unknown>): string {
  return JSON.stringify(fields, (key, value: unknown) => {
    if (key !== "" && isSecretFieldName(key) && value !== null && value !== undefined) return "[REDACTED]";
    if (typeof value === "string") return scrubText(value);
    // Headers objects serialize as {}: turn them into plain records so they get scrubbed too.
    if (value instanceof Headers) return Object.fromEntries(value.entries());
    return value;
  });
}
