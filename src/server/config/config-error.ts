/**
 * Problems found in the config file, each pinned to where it is written so the operator can jump
 * straight to it: `file:LINE:COL: path.to.field: message` (the format compilers use, which editors
 * and terminals turn into links).
 */

export interface SourcePosition {
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
}

export interface ConfigProblem {
  /** The file as it was named (SWITCHYARD_CONFIG). */
  file: string;
  /** Where in the file; null when the problem is the file itself (unreadable, unknown format). */
  position: SourcePosition | null;
  /** Dotted path of the field (`providers.0.baseURL`); empty for the document or the file. */
  path: string;
  message: string;
}

export function formatConfigProblem(problem: ConfigProblem): string {
  const where = problem.position
    ? `${problem.file}:${problem.position.line}:${problem.position.col}`
    : problem.file;
  return problem.path
    ? `${where}: ${problem.path}: ${problem.message}`
    : `${where}: ${problem.message}`;
}

/** Orders problems as they appear in the file (file-level ones first). */
export function sortConfigProblems(problems: readonly ConfigProblem[]): ConfigProblem[] {
  const key = (p: ConfigProblem) => (p.position ? p.position.line * 1_000_000 + p.position.col : 0);
  return [...problems].sort((a, b) => key(a) - key(b));
}

/** The config file cannot be used; `message` lists every problem, one per line. */
export class ConfigError extends Error {
  override name = "ConfigError";
  readonly problems: readonly ConfigProblem[];

  constructor(file: string, problems: readonly ConfigProblem[]) {
    const sorted = sortConfigProblems(problems);
    const count = sorted.length === 1 ? "1 problem" : `${sorted.length} problems`;
    super(
      `Invalid Switchyard config ${file} (${count}):\n${sorted.map(formatConfigProblem).join("\n")}`,
    );
    this.problems = sorted;
  }
}
