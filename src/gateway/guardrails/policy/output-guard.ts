import { mergeFindings } from "../detectors/detect-all";
import type { Finding } from "../detectors/types";
import type { CompiledPolicy, CompiledRule } from "./compile-policies";
import type { GuardHit } from "./guard-hit";
import { checkJsonAnswer, jsonExpectation, type JsonExpectation } from "./json-answer-check";
import { maskText, openPlaceholderAt, type Restorer } from "./redaction";

/**
 * The answer side of guardrails: output-stage policies scan what the provider wrote, then
 * placeholders from input redaction are restored for the client.
 *
 * Order: detectors run on the provider's text (placeholders still in it), so the client's own
 * redacted values come back while values the model produced itself are caught. `mask` and
 * `redact` on output both replace with `[LABEL]` (there is nothing to restore them from); `block`
 * refuses the answer; `flag` records it; output size limits and JSON checks can block or flag.
 *
 * Streams: text is released with a bounded look-behind. When output detectors apply, the last
 * `HOLD_CHARS` characters of each choice are held back (extended to the start of a finding that
 * reaches into them), so a value split across chunks is seen whole before any of it is sent;
 * `CONTEXT_CHARS` already-sent characters are rescanned as left context. With redaction only,
 * text is held back just while an unfinished `[PLACEHOLDER` sits at the end (≤ 56 characters).
 */

export const HOLD_CHARS = 128;
export const CONTEXT_CHARS = 64;
/** A choice's held text never exceeds this (a runaway finding cannot stall a stream). */
export const MAX_HELD_CHARS = 8192;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

interface RuleFinding {
  rule: CompiledRule;
  finding: Finding;
}

export interface GuardedAnswer {
  /** What the client gets (masks applied, placeholders restored). */
  client: string;
  /** What the log keeps (masks applied, placeholders left in). */
  log: string;
  block: GuardHit | null;
}

export class OutputGuard {
  private readonly textRules: CompiledRule[] = [];
  private readonly sizeRules: CompiledRule[] = [];
  private readonly jsonRules: CompiledRule[] = [];
  readonly json: JsonExpectation | null;

  constructor(
    policies: readonly CompiledPolicy[],
    readonly restorer: Restorer | null,
    requestBody: Json,
    /** Where hits are recorded (the request's own list, so the log sees them as they come). */
    readonly hits: GuardHit[] = [],
  ) {
    for (const p of policies) {
      for (const r of p.rules) {
        if (r.detectors.length > 0) this.textRules.push(r);
        if (r.rule.maxChars !== undefined) this.sizeRules.push(r);
        if (r.rule.jsonSchema === true) this.jsonRules.push(r);
      }
    }
    this.json = this.jsonRules.length > 0 ? jsonExpectation(requestBody) : null;
  }

  /** True when output detectors run (streams then hold back text). */
  get scans(): boolean {
    return this.textRules.length > 0;
  }

  /** True when the answer needs any work at all. */
  get active(): boolean {
    return this.restorer !== null || this.textRules.length > 0 || this.sizeRules.length > 0 || this.json !== null;
  }

  findings(text: string): RuleFinding[] {
    const out: RuleFinding[] = [];
    const memo = new Map<unknown, Finding[]>();
    for (const rule of this.textRules) {
      const all: Finding[] = [];
      for (const d of rule.detectors) {
        let found = memo.get(d);
        if (found === undefined) {
          try {
            found = d.detect(text);
          } catch {
            found = [];
          }
          memo.set(d, found);
        }
        for (const f of found) if (f.confidence >= rule.minConfidence) all.push(f);
      }
      for (const f of mergeFindings(all)) out.push({ rule, finding: f });
    }
    return out;
  }

  record(rule: CompiledRule, location: string, f: Pick<Finding, "detector" | "label" | "start" | "end" | "confidence">): GuardHit {
    const hit: GuardHit = {
      policy: rule.policy.id,
      policyName: rule.policy.name,
      rule: rule.rule.id,
      detector: f.detector,
      label: f.label,
      action: rule.rule.action,
      stage: "output",
      location,
      start: f.start,
      end: f.end,
      confidence: f.confidence,
    };
    this.hits.push(hit);
    return hit;
  }

  /** Size rules over a choice's text so far; the first blocking one, else null. */
  checkSize(length: number, location: string, reported: Set<CompiledRule>): GuardHit | null {
    let block: GuardHit | null = null;
    for (const rule of this.sizeRules) {
      if (reported.has(rule) || length <= rule.rule.maxChars!) continue;
      reported.add(rule);
      const hit = this.record(rule, location, { detector: "size.limit", label: "MAX_CHARS_EXCEEDED", start: 0, end: 0, confidence: 1 });
      if (rule.rule.action === "block" && block === null) block = hit;
    }
    return block;
  }

  /** The JSON rules over a whole answer; the first blocking one, else null. */
  checkJson(text: string, location: string): GuardHit | null {
    if (this.json === null) return null;
    const label = checkJsonAnswer(text, this.json);
    if (label === null) return null;
    let block: GuardHit | null = null;
    for (const rule of this.jsonRules) {
      const hit = this.record(rule, location, { detector: "output.json", label, start: 0, end: 0, confidence: 1 });
      if (rule.rule.action === "block" && block === null) block = hit;
    }
    return block;
  }

  /** A new text channel (one per choice of a stream). */
  channel(location: string): TextChannel {
    return new TextChannel(this, location);
  }

  /** A whole (non-streamed) chat or completions answer, as JSON text. */
  answer(text: string): GuardedAnswer {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { client: this.restorer?.restore(text) ?? text, log: text, block: null };
    }
    if (!isObject(parsed) || !Array.isArray(parsed.choices)) return { client: text, log: text, block: null };
    const client = structuredClone(parsed) as Json;
    let block: GuardHit | null = null;
    const choices = parsed.choices as unknown[];
    choices.forEach((choice, i) => {
      if (!isObject(choice)) return;
      const clientChoice = (client.choices as Json[])[i]!;
      const message = isObject(choice.message) ? choice.message : null;
      const field = message !== null ? "content" : "text";
      const holder = message ?? choice;
      const clientHolder = (message !== null ? clientChoice.message : clientChoice) as Json;
      const value = holder[field];
      if (typeof value === "string") {
        const location = message !== null ? `choices[${i}].message.content` : `choices[${i}].text`;
        const channel = this.channel(location);
        channel.push(value);
        const out = channel.release(true);
        block ??= out.block;
        holder[field] = out.logText;
        clientHolder[field] = out.text;
        if (i === 0) block ??= this.checkJson(out.text, location);
      }
      if (message !== null && Array.isArray(message.tool_calls) && this.restorer !== null) {
        (clientHolder.tool_calls as unknown[]).forEach((call) => {
          if (isObject(call) && isObject(call.function) && typeof call.function.arguments === "string") {
            call.function.arguments = this.restorer!.restore(call.function.arguments);
          }
        });
      }
    });
    return { client: JSON.stringify(client), log: JSON.stringify(parsed), block };
  }
}

export interface Released {
  /** For the client. */
  text: string;
  /** For the log (placeholders kept). */
  logText: string;
  block: GuardHit | null;
}

const NOTHING: Released = Object.freeze({ text: "", logText: "", block: null }) as Released;

/** One stream of answer text (a choice's content): held back, scanned, masked, restored. */
export class TextChannel {
  private pending = "";
  private tail = "";
  private released = 0;
  private readonly sizeReported = new Set<CompiledRule>();
  /** The whole answer text for the client, kept only when a JSON check needs it. */
  readonly whole: string[] | null;

  constructor(
    private readonly guard: OutputGuard,
    readonly location: string,
  ) {
    this.whole = guard.json !== null ? [] : null;
  }

  push(text: string): void {
    this.pending += text;
  }

  get holding(): boolean {
    return this.pending.length > 0;
  }

  /** Releases what can be sent now (`final`: everything). */
  release(final: boolean): Released {
    const p = this.pending;
    if (p.length === 0) return NOTHING;
    let r = p.length;
    let found: RuleFinding[] = [];
    const offset = this.tail.length;
    if (this.guard.scans) {
      if (!final) r = Math.max(0, p.length - HOLD_CHARS);
      found = this.guard.findings(this.tail + p);
      if (!final) {
        // Pull the release point back to the start of any finding that reaches past it.
        for (let moved = true; moved; ) {
          moved = false;
          for (const { finding } of found) {
            const s = finding.start - offset;
            const e = finding.end - offset;
            if (e > 0 && s < r && e > r) {
              r = Math.max(0, s);
              moved = true;
            }
          }
        }
      }
    }
    if (!final && this.guard.restorer !== null) {
      const open = openPlaceholderAt(p.slice(0, r));
      if (open >= 0) r = open;
    }
    if (!final && p.length > MAX_HELD_CHARS) r = Math.max(r, p.length - HOLD_CHARS);
    if (r === 0) return NOTHING;

    const out = p.slice(0, r);
    let block: GuardHit | null = null;
    const spans: { start: number; end: number; label: string }[] = [];
    for (const { rule, finding } of found) {
      const e = finding.end - offset;
      if (e <= 0 || e > r) continue;
      const s = Math.max(0, finding.start - offset);
      const hit = this.guard.record(rule, this.location, {
        ...finding,
        start: this.released + s,
        end: this.released + e,
      });
      if (rule.rule.action === "block") block ??= hit;
      else if (rule.rule.action === "mask" || rule.rule.action === "redact") spans.push({ start: s, end: e, label: finding.label });
    }
    let masked = out;
    if (spans.length > 0) {
      spans.sort((a, b) => a.start - b.start || b.end - a.end);
      masked = "";
      let at = 0;
      for (const s of spans) {
        if (s.start < at) continue;
        masked += out.slice(at, s.start) + maskText(s.label);
        at = s.end;
      }
      masked += out.slice(at);
    }
    this.pending = p.slice(r);
    this.released += r;
    if (this.guard.scans) this.tail = (this.tail + masked).slice(-CONTEXT_CHARS);
    block ??= this.guard.checkSize(this.released, this.location, this.sizeReported);
    const text = this.guard.restorer !== null ? this.guard.restorer.restore(masked) : masked;
    this.whole?.push(text);
    return { text, logText: masked, block };
  }
}
