import { endsSentence, isCjkTerminatorCode, isWhitespaceCode, mayEndSentence } from "./sentence-end";

/**
 * Places where a chunk may end. A boundary is a whitespace run between two non-whitespace
 * characters: a chunk cut there ends at the run's first character (`end`) and the next
 * content begins after it (`next`). Its level says how good a cut it is. A CJK full stop
 * followed directly by text is also a boundary (end = next, no whitespace).
 */

export const Level = {
  word: 1,
  line: 2,
  sentence: 3,
  paragraph: 4,
  heading: 5,
} as const;

export interface Boundary {
  end: number;
  next: number;
  level: number;
}

/**
 * The boundaries of one window, as parallel typed arrays reused from chunk to chunk: the
 * chunker scans a window per chunk, and an object per word would dominate its time in GC.
 */
export class BoundaryList {
  readonly ends: Int32Array;
  readonly nexts: Int32Array;
  readonly levels: Uint8Array;
  count = 0;

  constructor(capacity: number) {
    this.ends = new Int32Array(capacity);
    this.nexts = new Int32Array(capacity);
    this.levels = new Uint8Array(capacity);
  }

  toArray(): Boundary[] {
    return Array.from({ length: this.count }, (_, index) => ({
      end: this.ends[index] ?? 0,
      next: this.nexts[index] ?? 0,
      level: this.levels[index] ?? 0,
    }));
  }

  private push(end: number, next: number, level: number): void {
    this.ends[this.count] = end;
    this.nexts[this.count] = next;
    this.levels[this.count] = level;
    this.count++;
  }

  /**
   * Fills the list with the boundaries with `from < end <= to`, in order. `headingStarts` are
   * section starts: a run that ends at one is a heading boundary. Needs capacity >= to - from.
   */
  scan(text: string, from: number, to: number, headingStarts: ReadonlySet<number>): this {
    this.count = 0;
    const length = text.length;
    const last = Math.min(to, length - 1);
    let index = from + 1;
    let previous = text.charCodeAt(from);
    while (index <= last) {
      const code = text.charCodeAt(index);
      if (isWhitespaceCode(previous) || !isWhitespaceCode(code)) {
        if (isCjkTerminatorCode(previous) && !isWhitespaceCode(code)) this.push(index, index, Level.sentence);
        previous = code;
        index++;
        continue;
      }
      // A whitespace run starts at `index`, after the word ending with `previous`.
      let next = index + 1;
      let newlines = code === 0x0a ? 1 : 0;
      while (next < length) {
        const runCode = text.charCodeAt(next);
        if (!isWhitespaceCode(runCode)) break;
        if (runCode === 0x0a) newlines++;
        next++;
      }
      if (next === length) break; // trailing whitespace: nothing follows, no cut needed
      let level: number = newlines >= 2 ? Level.paragraph : newlines === 1 ? Level.line : Level.word;
      if (headingStarts.has(next)) level = Level.heading;
      else if (level < Level.sentence && mayEndSentence(previous) && endsSentence(text, index, next)) level = Level.sentence;
      this.push(index, next, level);
      previous = text.charCodeAt(next);
      index = next + 1;
    }
    return this;
  }
}

/** The boundaries with `from < end <= to`, as objects (for tests and tools). */
export function scanBoundaries(text: string, from: number, to: number, headingStarts: ReadonlySet<number>): Boundary[] {
  return new BoundaryList(Math.max(0, to - from) + 1).scan(text, from, to, headingStarts).toArray();
}
