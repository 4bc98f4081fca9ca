import { ProviderError } from "../types";

/**
 * Incremental Server-Sent Events framing: bytes in (any split, even inside a UTF-8 character or
 * between the CR and LF of a line end), the `data` of each complete event out. Lines end with
 * CRLF, LF or CR (Google sends CRLF); `data:` lines of one event are joined with "\n"; comments
 * and other fields are ignored. One event larger than `maxEventChars` is a protocol failure, so a
 * misbehaving upstream cannot grow memory without bound.
 */
export class SseParser {
  private readonly decoder = new TextDecoder("utf-8");
  /** Text not yet split into lines (the current partial line). */
  private buffer = "";
  /** How much of `buffer` is known to hold no line end (not scanned again). */
  private scanned = 0;
  /** The current event's data lines so far (null: no data line yet). */
  private data: string | null = null;
  private eventChars = 0;

  constructor(private readonly maxEventChars = 16 * 1024 * 1024) {}

  /** Feeds bytes; returns the data of every event they completed. */
  push(chunk: Uint8Array): string[] {
    return this.drain(this.decoder.decode(chunk, { stream: true }), false);
  }

  /** The upstream ended: an event without its closing blank line still counts. */
  end(): string[] {
    const events = this.drain(this.decoder.decode(), true);
    if (this.buffer !== "") this.line(this.buffer, events);
    this.buffer = "";
    this.scanned = 0;
    this.dispatch(events);
    return events;
  }

  private drain(text: string, final: boolean): string[] {
    const events: string[] = [];
    let buf = this.buffer + text;
    let start = 0;
    let from = this.scanned;
    for (;;) {
      let i = Math.max(start, from);
      // Find the next line end.
      while (i < buf.length) {
        const c = buf.charCodeAt(i);
        if (c === 10 || c === 13) break;
        i++;
      }
      from = i;
      if (i >= buf.length) break;
      // A CR at the very end may be the first half of a CRLF: wait for the next chunk.
      if (buf.charCodeAt(i) === 13 && i + 1 >= buf.length && !final) break;
      this.line(buf.slice(start, i), events);
      start = buf.charCodeAt(i) === 13 && buf.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
    }
    buf = buf.slice(start);
    this.buffer = buf;
    this.scanned = Math.max(0, from - start);
    if (this.eventChars + buf.length > this.maxEventChars) {
      throw new ProviderError({
        message: `the upstream sent a stream event larger than ${this.maxEventChars} characters`,
        status: 502,
        kind: "protocol",
      });
    }
    return events;
  }

  private line(line: string, events: string[]): void {
    if (line === "") {
      this.dispatch(events);
      return;
    }
    if (!line.startsWith("data")) return; // comments (":…"), event:, id:, retry:
    let value: string;
    if (line === "data") value = "";
    else if (line.charCodeAt(4) === 58 /* : */) {
      value = line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5);
    } else return; // a field merely starting with "data"
    this.data = this.data === null ? value : `${this.data}\n${value}`;
    this.eventChars += value.length;
    if (this.eventChars > this.maxEventChars) {
      throw new ProviderError({
        message: `the upstream sent a stream event larger than ${this.maxEventChars} characters`,
        status: 502,
        kind: "protocol",
      });
    }
  }

  private dispatch(events: string[]): void {
    if (this.data !== null) events.push(this.data);
    this.data = null;
    this.eventChars = 0;
  }
}
