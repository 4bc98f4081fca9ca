/**
 * Minimal leveled logger writing one line per event to stderr/stdout.
 * The level comes from LOG_LEVEL (read by the caller via setLogLevel) so this module stays env-free.
 */
import { scrubbedJson, scrubText } from "./log-scrub";

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;
export type LogLevel = keyof typeof LEVELS;

const state = globalThis as unknown as { __switchyardLogLevel?: LogLevel };

export function setLogLevel(level: LogLevel): void {
  state.__switchyardLogLevel = level;
}

function enabled(level: LogLevel): boolean {
  return LEVELS[level] >= LEVELS[state.__switchyardLogLevel ?? "info"];
}

function write(level: Exclude<LogLevel, "silent">, msg: string, fields?: Record<string, unknown>) {
  if (!enabled(level)) return;
  // Never a credential in a log line, whoever wrote the call (see log-scrub.ts).
  const line = `${new Date().toISOString()} ${level.padEnd(5)} ${scrubText(msg)}${fields ? " " + scrubbedJson(fields) : ""}`;
  if (level === "error" || level === "warn") console.error(line);
  else console.log(line);
}

export const logger = {
  debug: (msg: string, fields?: Record<string, unknown>) => write("debug", msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => write("info", msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => write("warn", msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => write("error", msg, fields),
};
