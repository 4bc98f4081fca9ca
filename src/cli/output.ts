/**
 * Where CLI output goes: results on stdout (machine-readable with --json), progress and errors on
 * stderr, so `$(switchyard keys create …)` or `| jq` only ever see results.
 */
export interface Output {
  json: boolean;
  /** A progress line on stderr ("Opening database…"). */
  progress(message: string): void;
  /** A line of human-readable result on stdout. */
  line(message?: string): void;
  /** The JSON result on stdout. */
  result(value: unknown): void;
  /** Rows as an aligned table on stdout (human mode). */
  table(headers: string[], rows: (string | number | null | undefined)[][]): void;
}

export function createOutput(options: {
  json: boolean;
  stdout?: (s: string) => void;
  stderr?: (s: string) => void;
}): Output {
  const stdout = options.stdout ?? ((s: string) => process.stdout.write(s));
  const stderr = options.stderr ?? ((s: string) => process.stderr.write(s));
  return {
    json: options.json,
    progress: (message) => stderr(`${message}\n`),
    line: (message = "") => stdout(`${message}\n`),
    result: (value) => stdout(`${JSON.stringify(value, null, 2)}\n`),
    table(headers, rows) {
      if (rows.length === 0) return;
      const cells = [
        headers,
        ...rows.map((r) => r.map((c) => (c === null || c === undefined ? "-" : String(c)))),
      ];
      const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
      for (const row of cells) {
        stdout(
          `${row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]!))).join("  ")}\n`,
        );
      }
    },
  };
}

/** Dates in tables: ISO to the minute, UTC. */
export function formatDate(date: Date | null | undefined): string | null {
  return date ? `${date.toISOString().slice(0, 16).replace("T", " ")}Z` : null;
}
