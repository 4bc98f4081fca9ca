import { defineDetector, type Emit } from "../define-detector";

/**
 * Database and broker URLs that carry a password: postgres(ql)://user:pass@host,
 * mongodb(+srv)://, mysql://, mariadb://, redis(s)://[user]:pass@, amqp(s)://, mssql://,
 * clickhouse:// …, plus "password=" in a URL query and ADO.NET/ODBC strings
 * ("Server=…;Password=…;"). The finding spans the whole URL (or key=value string) so a redactor
 * can remove it at once. Placeholder passwords ("<password>", "${DB_PASS}", "****") score 0.35.
 */

const SCHEME =
  /\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|redis|rediss|amqps?|mssql|sqlserver|clickhouse|cockroachdb|couchdb|neo4j(?:\+s)?|jdbc:[a-z]{2,12}|nats|mqtts?|ftp|sftp|smtps?|ldaps?)(?::\/\/)/gi;
/** userinfo = [user] ":" password "@" — bounded so a "://" in prose cannot scan far. */
const USERINFO = /([^\s:/@'"`<>]{0,128}):([^\s@'"`]{1,256})@/y;
const URL_REST = /[^\s'"`<>)\]}]{1,2048}/y;
const QUERY_PASSWORD = /[?&;](?:password|pwd|pass)=([^&;\s'"`]{1,256})/i;
const ADO_PASSWORD = /\b(?:password|pwd)\s{0,2}=\s{0,2}([^;'"`\r\n]{1,256})/gi;
const ADO_CONTEXT = /\b(?:server|data source|host|uid|user id|initial catalog|database)\s{0,2}=/i;

export const connectionStringDetector = defineDetector("secret.connection_string", "secret", (text, emit) => {
  SCHEME.lastIndex = 0;
  const urls: [number, number][] = [];
  for (let m = SCHEME.exec(text); m !== null; m = SCHEME.exec(text)) {
    const start = m.index;
    const afterScheme = start + m[0].length;
    URL_REST.lastIndex = afterScheme;
    const rest = URL_REST.exec(text);
    if (!rest) continue;
    const end = trimUrlEnd(text, afterScheme, afterScheme + rest[0].length);
    // Whatever the verdict, schemes inside this URL are part of it: never rescan its extent.
    SCHEME.lastIndex = end;
    const password = urlPassword(text, afterScheme, end);
    if (password === null) continue;
    emit("CONNECTION_STRING", start, end, isPlaceholder(password) ? 0.35 : 0.95);
    urls.push([start, end]);
  }
  scanAdoStrings(text, emit, urls);
});

function urlPassword(text: string, from: number, end: number): string | null {
  USERINFO.lastIndex = from;
  const userinfo = USERINFO.exec(text);
  if (userinfo && USERINFO.lastIndex <= end) return userinfo[2]!;
  const query = QUERY_PASSWORD.exec(text.slice(from, end));
  return query ? query[1]! : null;
}

/** A sentence's closing punctuation is not part of the URL. */
function trimUrlEnd(text: string, from: number, end: number): number {
  while (end > from && ".,;:!?".includes(text[end - 1]!)) end--;
  return end;
}

/** "Server=db;Database=app;User Id=sa;Password=…;": the whole key=value run up to the password. */
function scanAdoStrings(text: string, emit: Emit, urls: readonly [number, number][]): void {
  ADO_PASSWORD.lastIndex = 0;
  for (let m = ADO_PASSWORD.exec(text); m !== null; m = ADO_PASSWORD.exec(text)) {
    if (urls.some(([s, e]) => m.index >= s && m.index < e)) continue;
    // The key=value string is on this line, within 300 characters (a bounded look back).
    const windowStart = Math.max(0, m.index - 300);
    const lineStart = windowStart + text.slice(windowStart, m.index).lastIndexOf("\n") + 1;
    const lead = text.slice(lineStart, m.index);
    if (!ADO_CONTEXT.test(lead) || !lead.includes(";")) continue;
    const start = lineStart + adoStart(lead);
    const end = m.index + m[0].length;
    emit("CONNECTION_STRING", start, end, isPlaceholder(m[1]!.trim()) ? 0.35 : 0.9);
  }
}

/** Offset in `lead` where the key=value string starts (after a quote, "=", or ": "). */
function adoStart(lead: string): number {
  const m = ADO_CONTEXT.exec(lead);
  return m ? m.index : 0;
}

function isPlaceholder(password: string): boolean {
  const p = password.toLowerCase();
  if (/^[<{[$%*]|[>}\]]$/.test(p) || /^\*+$|^x+$|^\.+$/.test(p)) return true;
  return ["password", "pass", "passwd", "pwd", "secret", "your_password", "yourpassword", "mypassword", "changeme", "..."].includes(p);
}
