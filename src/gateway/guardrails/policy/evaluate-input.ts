import { extractChatText } from "../detectors/chat-text";
import { mergeFindings } from "../detectors/detect-all";
import type { Detector, Finding } from "../detectors/types";
import type { CompiledPolicy, CompiledPolicySet, CompiledRule } from "./compile-policies";
import type { GuardHit } from "./guard-hit";
import { scopeMatches, type ScopeInputs } from "./policy-scope";
import { maskText, PlaceholderBook, Restorer, Scrubber } from "./redaction";

/**
 * Runs an org's input-stage policies over a request and decides what happens to it. Rules:
 *
 *  1. Policies run in priority order (lower first, ties by id); only enabled policies whose scope
 *     matches the request, and every rule of each, are evaluated — all of them, so the log shows
 *     every hit even when the request is blocked.
 *  2. **block wins over everything**: the first block hit (in priority order) refuses the request.
 *  3. Otherwise the first **reroute** hit sends the request to its `rerouteTo` model or route;
 *     redactions and masks still apply to what is sent.
 *  4. **mask / redact** rewrite the spans they found. Overlapping spans: the earlier one wins,
 *     then the longer; on the same span mask wins over redact (irreversible is the safer reading).
 *  5. **flag** changes nothing; the hit is recorded and the request is marked flagged.
 */

type Json = Record<string, unknown>;

export interface GuardRequest extends ScopeInputs {
  body: Json;
  /** The request as received (placeholders already in it are never handed out). */
  requestText: string;
}

export interface TextSegment {
  text: string;
  path: (string | number)[];
  location: string;
}

export interface InputDecision {
  hits: GuardHit[];
  /** The hit that refuses the request, or null. */
  block: GuardHit | null;
  rerouteTo: string | null;
  /** The body to send upstream when it changed (redact / mask / reroute), else null. */
  body: Json | null;
  text: string | null;
  /** Puts redacted values back into the answer; null when nothing was redacted. */
  restorer: Restorer | null;
  /** The request as the log may keep it: every span that was hit replaced; null when no span was. */
  logText: string | null;
  /** Replaces the hit values in other text bound for the log (the answer); null when none. */
  scrubber: Scrubber | null;
  /** The output-stage policies whose scope matched (empty: the answer is passed through). */
  output: readonly CompiledPolicy[];
}

/** Every text of a request that input policies scan: chat messages, `prompt`, `input`. */
export function requestSegments(body: Json): TextSegment[] {
  const out: TextSegment[] = extractChatText(body).map((s) => ({
    text: s.text,
    path: s.source.path,
    location: locationOf(s.source.path),
  }));
  for (const field of ["prompt", "input"] as const) {
    const value = body[field];
    if (typeof value === "string" && value.length > 0) out.push({ text: value, path: [field], location: field });
    else if (Array.isArray(value)) {
      value.forEach((v, i) => {
        if (typeof v === "string" && v.length > 0) out.push({ text: v, path: [field, i], location: `${field}[${i}]` });
      });
    }
  }
  return out;
}

export function locationOf(path: readonly (string | number)[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out === "" ? p : `.${p}`;
  return out;
}

/** Raw findings per detector per segment, computed once however many rules share a detector. */
class FindingMemo {
  private readonly memo = new Map<Detector, Finding[][]>();
  constructor(private readonly texts: readonly string[]) {}

  findings(detector: Detector, segment: number): Finding[] {
    let perSegment = this.memo.get(detector);
    if (perSegment === undefined) {
      perSegment = this.texts.map((t) => safeDetect(detector, t));
      this.memo.set(detector, perSegment);
    }
    return perSegment[segment]!;
  }
}

function safeDetect(detector: Detector, text: string): Finding[] {
  try {
    return detector.detect(text);
  } catch {
    return [];
  }
}

function hitOf(rule: CompiledRule, stage: "input" | "output", location: string, f: Pick<Finding, "detector" | "label" | "start" | "end" | "confidence">): GuardHit {
  return {
    policy: rule.policy.id,
    policyName: rule.policy.name,
    rule: rule.rule.id,
    detector: f.detector,
    label: f.label,
    action: rule.rule.action,
    stage,
    location,
    start: f.start,
    end: f.end,
    confidence: f.confidence,
  };
}

/** Text findings of one rule over a set of texts (merged per text like `detectAll`). */
export function ruleTextHits(
  rule: CompiledRule,
  stage: "input" | "output",
  segments: readonly { location: string }[],
  memo: { findings(d: Detector, segment: number): Finding[] },
  out: GuardHit[],
): void {
  if (rule.detectors.length === 0) return;
  for (let s = 0; s < segments.length; s++) {
    const all: Finding[] = [];
    for (const d of rule.detectors) {
      for (const f of memo.findings(d, s)) if (f.confidence >= rule.minConfidence) all.push(f);
    }
    if (all.length === 0) continue;
    for (const f of mergeFindings(all)) out.push(hitOf(rule, stage, segments[s]!.location, f));
  }
}

function ruleRequestHits(rule: CompiledRule, request: GuardRequest, out: GuardHit[]): void {
  const { allowedModels, blockedModels } = rule.rule;
  if (allowedModels !== undefined && !allowedModels.includes(request.model)) {
    out.push(hitOf(rule, "input", "model", { detector: "policy.models", label: "MODEL_NOT_ALLOWED", start: 0, end: 0, confidence: 1 }));
  }
  if (blockedModels !== undefined && blockedModels.includes(request.model)) {
    out.push(hitOf(rule, "input", "model", { detector: "policy.models", label: "MODEL_BLOCKED", start: 0, end: 0, confidence: 1 }));
  }
  if (rule.size !== null) {
    for (const f of rule.size.detectRequest(request.body)) {
      out.push(hitOf(rule, "input", "request", { ...f, start: 0, end: 0 }));
    }
  }
}

/** Policies of a stage whose scope matches the request. */
export function applicablePolicies(policies: readonly CompiledPolicy[], inputs: ScopeInputs): readonly CompiledPolicy[] {
  let out: CompiledPolicy[] | null = null;
  for (let i = 0; i < policies.length; i++) {
    const p = policies[i]!;
    if (scopeMatches(p.policy.scope, inputs)) {
      if (out === null) out = [];
      out.push(p);
    }
  }
  return out ?? NONE;
}

const NONE: readonly CompiledPolicy[] = Object.freeze([]);

/** Replacement decided for one span of one segment. */
interface Replacement {
  segment: number;
  start: number;
  end: number;
  label: string;
  mask: boolean;
}

/** Non-overlapping replacements: earlier first, then longer, then mask over redact. */
export function pickReplacements<T extends { start: number; end: number; mask: boolean }>(spans: T[]): T[] {
  spans.sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start) || (a.mask === b.mask ? 0 : a.mask ? -1 : 1));
  const kept: T[] = [];
  let reach = -1;
  for (const s of spans) {
    if (s.end <= s.start || s.start < reach) continue;
    kept.push(s);
    reach = s.end;
  }
  return kept;
}

/** Applies replacements (sorted, disjoint) to one text. */
function rewrite(text: string, spans: readonly Replacement[], replacementOf: (r: Replacement, value: string) => string): string {
  let out = "";
  let at = 0;
  for (const r of spans) {
    out += text.slice(at, r.start) + replacementOf(r, text.slice(r.start, r.end));
    at = r.end;
  }
  return out + text.slice(at);
}

/** A copy of `body` with the string at `path` replaced (objects along the path copied, the rest shared). */
function setAtPath(body: Json, path: readonly (string | number)[], value: string): Json {
  const copy = (node: unknown, depth: number): unknown => {
    if (depth === path.length) return value;
    const key = path[depth]!;
    if (Array.isArray(node)) {
      const arr = node.slice();
      arr[key as number] = copy(node[key as number], depth + 1);
      return arr;
    }
    const obj = { ...(node as Json) };
    obj[key as string] = copy((node as Json)[key as string], depth + 1);
    return obj;
  };
  return copy(body, 0) as Json;
}

export function evaluateInput(set: CompiledPolicySet, request: GuardRequest): InputDecision {
  const policies = applicablePolicies(set.input, request);
  const output = applicablePolicies(set.output, request);
  const hits: GuardHit[] = [];
  let segments: TextSegment[] | null = null;
  if (policies.length > 0) {
    segments = policies.some((p) => p.scansText) ? requestSegments(request.body) : [];
    const memo = new FindingMemo(segments.map((s) => s.text));
    for (const policy of policies) {
      for (const rule of policy.rules) {
        ruleRequestHits(rule, request, hits);
        ruleTextHits(rule, "input", segments, memo, hits);
      }
    }
  }
  const decision: InputDecision = {
    hits,
    block: null,
    rerouteTo: null,
    body: null,
    text: null,
    restorer: null,
    logText: null,
    scrubber: null,
    output,
  };
  if (hits.length === 0) return decision;

  decision.block = hits.find((h) => h.action === "block") ?? null;
  const reroute = decision.block === null ? hits.find((h) => h.action === "reroute") : undefined;
  if (reroute !== undefined) {
    const rule = policies.find((p) => p.policy.id === reroute.policy)?.rules.find((r) => r.rule.id === reroute.rule);
    decision.rerouteTo = rule?.rule.rerouteTo ?? null;
  }

  const segs = segments ?? [];
  const segmentIndex = new Map(segs.map((s, i) => [s.location, i]));
  const spanOf = (h: GuardHit, mask: boolean): Replacement | null => {
    const segment = segmentIndex.get(h.location);
    return segment === undefined || h.end <= h.start ? null : { segment, start: h.start, end: h.end, label: h.label, mask };
  };
  // What the provider sees: redact / mask spans rewritten (nothing is sent when blocked).
  const book = new PlaceholderBook(request.requestText);
  const scrubbed = new Map<string, string>();
  const replaceOf = (r: Replacement, value: string): string => {
    const replacement = r.mask ? maskText(r.label) : book.placeholderFor(r.label, value);
    scrubbed.set(value, replacement);
    return replacement;
  };
  const sent = hits
    .filter((h) => h.action === "redact" || h.action === "mask")
    .map((h) => spanOf(h, h.action === "mask"))
    .filter((r): r is Replacement => r !== null);
  let body = request.body;
  let changed = false;
  if (decision.block === null && sent.length > 0) {
    const bySegment = groupBySegment(pickReplacements(sent));
    for (const [segment, spans] of bySegment) {
      const seg = segs[segment]!;
      body = setAtPath(body, seg.path, rewrite(seg.text, spans, replaceOf));
      changed = true;
    }
  }
  if (decision.rerouteTo !== null) {
    body = { ...body, model: decision.rerouteTo };
    changed = true;
  }
  if (changed) {
    decision.body = body;
    decision.text = JSON.stringify(body);
  }
  if (book.size > 0 && decision.block === null) decision.restorer = new Restorer(book.values);

  // What the log keeps: every span that was hit replaced, whatever the action.
  const logged = hits
    .map((h) => spanOf(h, !(h.action === "redact" && decision.block === null)))
    .filter((r): r is Replacement => r !== null);
  if (logged.length > 0) {
    let logBody = request.body;
    for (const [segment, spans] of groupBySegment(pickReplacements(logged))) {
      const seg = segs[segment]!;
      logBody = setAtPath(logBody, seg.path, rewrite(seg.text, spans, replaceOf));
    }
    if (decision.rerouteTo !== null) logBody = { ...logBody, model: decision.rerouteTo };
    decision.logText = JSON.stringify(logBody);
    decision.scrubber = new Scrubber(scrubbed);
  }
  return decision;
}

function groupBySegment(spans: readonly Replacement[]): Map<number, Replacement[]> {
  const out = new Map<number, Replacement[]>();
  for (const s of spans) {
    let list = out.get(s.segment);
    if (!list) out.set(s.segment, (list = []));
    list.push(s);
  }
  for (const list of out.values()) list.sort((a, b) => a.start - b.start);
  return out;
}

/** The block hit's error message: names the policy and rule and what was found, never the text. */
export function blockMessage(hit: GuardHit): string {
  const where = hit.stage === "input" ? `in ${hit.location}` : "in the answer";
  return `Blocked by guardrail policy '${hit.policyName}' (${hit.policy}), rule '${hit.rule}': ${hit.label} found ${where}.`;
}

