/**
 * Aho–Corasick automaton over UTF-16 code units: finds every occurrence of any of thousands of
 * keywords in one pass, in time linear in the text plus the matches. Case folding is done per
 * code unit (so offsets in the folded text equal offsets in the original).
 */

export interface AutomatonMatch {
  keyword: number;
  start: number;
  end: number;
}

export class AhoCorasick {
  private readonly next: Map<number, number>[] = [new Map()];
  private readonly fail: number[] = [0];
  /** Keyword indexes ending at each node, including those reached through failure links. */
  private readonly out: number[][] = [[]];
  private readonly lengths: number[] = [];
  /** Root transitions for ASCII as an array: most characters of a text leave the root at once. */
  private readonly rootAscii = new Int32Array(128).fill(-1);

  constructor(
    keywords: readonly string[],
    private readonly fold: (code: number) => number,
  ) {
    keywords.forEach((k, index) => this.add(k, index));
    this.link();
    for (const [c, child] of this.next[0]!) if (c < 128) this.rootAscii[c] = child;
  }

  private add(keyword: string, index: number): void {
    let node = 0;
    for (let i = 0; i < keyword.length; i++) {
      const c = this.fold(keyword.charCodeAt(i));
      let child = this.next[node]!.get(c);
      if (child === undefined) {
        child = this.next.length;
        this.next.push(new Map());
        this.fail.push(0);
        this.out.push([]);
        this.next[node]!.set(c, child);
      }
      node = child;
    }
    this.out[node]!.push(index);
    this.lengths[index] = keyword.length;
  }

  private link(): void {
    const queue: number[] = [];
    for (const child of this.next[0]!.values()) queue.push(child);
    for (let head = 0; head < queue.length; head++) {
      const node = queue[head]!;
      for (const [c, child] of this.next[node]!) {
        let f = this.fail[node]!;
        while (f !== 0 && !this.next[f]!.has(c)) f = this.fail[f]!;
        const target = this.next[f]!.get(c);
        this.fail[child] = target !== undefined && target !== child ? target : 0;
        this.out[child] = this.out[child]!.concat(this.out[this.fail[child]!]!);
        queue.push(child);
      }
    }
  }

  /** Calls `onMatch` for every occurrence; stops early when it returns false. */
  search(text: string, onMatch: (m: AutomatonMatch) => boolean): void {
    let node = 0;
    for (let i = 0; i < text.length; i++) {
      const c = this.fold(text.charCodeAt(i));
      if (node === 0 && c < 128) {
        const root = this.rootAscii[c]!;
        if (root < 0) continue;
        node = root;
        if (!this.emitAt(node, i, onMatch)) return;
        continue;
      }
      let child = this.next[node]!.get(c);
      while (child === undefined && node !== 0) {
        node = this.fail[node]!;
        child = this.next[node]!.get(c);
      }
      node = child ?? 0;
      if (!this.emitAt(node, i, onMatch)) return;
    }
  }

  /** Reports the keywords ending at `node` after character `i`; false when the caller stops. */
  private emitAt(node: number, i: number, onMatch: (m: AutomatonMatch) => boolean): boolean {
    const hits = this.out[node]!;
    for (let k = 0; k < hits.length; k++) {
      const keyword = hits[k]!;
      const end = i + 1;
      if (!onMatch({ keyword, start: end - this.lengths[keyword]!, end })) return false;
    }
    return true;
  }
}
