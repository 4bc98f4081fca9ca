import { protocolError } from "./errors";

/**
 * Server-sent events framing (the WHATWG rules): lines end in LF, CRLF or CR — also when the
 * CR and the LF arrive in different chunks —, `event:`/`data:` fields (one leading space
 * stripped, several `data:` lines joined by LF), `:` comments ignored, a blank line ends an
 * event. Bytes are decoded as a UTF-8 stream, so a character split across chunks is kept whole.
 * Each chunk is scanned once, whatever its size (no quadratic rescans of a long event).
 */

export interface SseEvent {
  /** The `event:` field (`message` when absent). */
  event: string;
  data: string;
}

/** An event longer than this is an upstream fault: memory stays bounded. */
export const MAX_EVENT_CHARS = 8 * 1024 * 1024;

export class SseParser {
  private readonly decoder = new TextDecoder();
  /** The current line so far (no terminator yet). */
  private line = "";
  /** The previous chunk ended in CR: a leading LF belongs to that line end. */
  private skipLF = false;
  private eventName = "";
  private data: string[] = [];
  private size = 0;

  /** Feeds a chunk of bytes; returns the events it completed. */
  push(chunk: Uint8Array): SseEvent[] {
    return this.scan(this.decoder.decode(chunk, { stream: true }));
  }

  /**
   * The stream ended: returns what it completed, and a last event that was not followed by a
   * blank line (lenient: a complete final event is not dropped for a missing separator).
   */
  end(): SseEvent[] {
    const events = this.scan(this.decoder.decode());
    if (this.line !== "") this.field(this.line);
    this.line = "";
    this.dispatch(events);
    return events;
  }

  private scan(text: string): SseEvent[] {
    const events: SseEvent[] = [];
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      if (c === 10 && this.skipLF && i === start && this.line === "") {
        // The LF of a CRLF whose CR ended the previous chunk (or line).
        this.skipLF = false;
        start = i + 1;
        continue;
      }
      const line = this.line + text.slice(start, i);
      this.line = "";
      this.skipLF = c === 13;
      if (line === "") this.dispatch(events);
      else this.field(line);
      start = i + 1;
    }
    if (start < text.length) {
      this.skipLF = false;
      this.line += text.slice(start);
      if (this.line.length + this.size > MAX_EVENT_CHARS) {
        throw protocolError(`the upstream sent an event longer than ${MAX_EVENT_CHARS} characters`);
      }
    }
    return events;
  }

  private field(line: string): void {
    if (line.charCodeAt(0) === 58 /* : */) return;
    const colon = line.indexOf(":");
    const name = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (name === "event") {
      this.eventName = value;
    } else if (name === "data") {
      this.data.push(value);
      this.size += value.length + 1;
      if (this.size > MAX_EVENT_CHARS) {
        throw protocolError(`the upstream sent an event longer than ${MAX_EVENT_CHARS} characters`);
      }
    }
    // `id:` and `retry:` mean nothing for a single request.
  }

  private dispatch(events: SseEvent[]): void {
    if (this.data.length > 0) {
      events.push({ event: this.eventName || "message", data: this.data.join("\n") });
    }
    this.eventName = "";
    this.data = [];
    this.size = 0;
  }
}
