import type { Clock } from "../ports";
import { attemptErrorOf, breakerVerdict, isRetryable, retryAfterOf } from "./attempt-errors";
import type { AttemptRecord } from "./attempt-record";
import { retryDelay } from "./backoff";
import type { BreakerPermit } from "./circuit-breaker";
import type { RouteCandidate } from "./route-candidate";
import type { BreakerPolicy, RetryPolicy } from "./route-schema";
import type { RoutingState } from "./routing-state";

/**
 * Runs one request over a route's ordered targets until one answers.
 *
 *  - Per target, up to `retry.attempts` calls; another call only after a retryable failure
 *    (connect errors, timeouts, 408/409/429/5xx), after a jittered exponential backoff that
 *    honours Retry-After (one longer than `retry.maxDelayMs` moves on to the next target at once).
 *  - Any failure moves on to the next target (an upstream 400 may be about a parameter that the
 *    next target accepts, a 401 about credentials configured for this one). A call that resolved
 *    is an answer: for streams `call` resolves at the first byte, and nothing after that is ever
 *    retried (the relay ends a stream that breaks later with its final error event).
 *  - The breaker of each target is asked before every call (an open one is skipped and recorded
 *    as `skipped-open`) and told how the call went. If every target was open and none was
 *    called, the one whose cooldown ends soonest is tried anyway: failing without trying helps no
 *    one, and it doubles as that target's probe.
 *  - Hedging (`hedgeAfterMs`, buffered requests only): when the target in flight has not answered
 *    after that long, the next one starts too (at most two calls in flight); the first answer
 *    wins and the other call is aborted.
 *  - Cascade (`escalation`): an answer that fails the check is recorded as `escalated` and the next
 *    target is called; the last target's answer is kept whatever it is, and if every later target
 *    fails, the last escalated answer is served after all.
 *
 * The served call's breaker verdict is left to the caller (`settle`): a buffered answer settles at
 * once, a stream when it ends (a stream that breaks midway counts against its target).
 */

export interface ExecuteRouteOptions<T> {
  candidates: readonly RouteCandidate[];
  retry: RetryPolicy;
  breaker: BreakerPolicy;
  /** Null: no hedging. */
  hedgeAfterMs: number | null;
  state: RoutingState;
  clock: Clock;
  /** Aborts when the request is over (client gone): nothing more is started. */
  signal: AbortSignal;
  /** Appended to as attempts start (may already hold records, e.g. of unknown targets). */
  attempts: AttemptRecord[];
  /**
   * Calls one target. `callNumber` counts the upstream calls of the request so far, this one
   * included. Resolves with the answer (streams: at the first byte), rejects with the failure.
   */
  call(candidate: RouteCandidate, signal: AbortSignal, callNumber: number): Promise<T>;
  /** A cascade's check: why the answer goes to the next target, or null to serve it. */
  escalation?(value: T, candidate: RouteCandidate): string | null;
}

export type SettleOutcome = "ok" | "failed" | "aborted";

export interface RouteSuccess<T> {
  value: T;
  candidate: RouteCandidate;
  /** The served attempt's record (the caller may update it when a stream fails later). */
  record: AttemptRecord;
  /** Upstream calls made for the request (`x-switchyard-attempts`). */
  calls: number;
  /** Tells the served target's breaker how the answer ended (once; later calls are ignored). */
  settle(outcome: SettleOutcome, error?: unknown): void;
}

/** Every target failed, was skipped, or the request ended first. */
export class RouteExhausted extends Error {
  override name = "RouteExhausted";
  constructor(
    /** The last call's failure; null when no call failed (nothing eligible, or aborted). */
    readonly lastError: unknown,
    readonly lastCandidate: RouteCandidate | null,
    readonly calls: number,
    /** The request was aborted (client gone). */
    readonly aborted: boolean,
  ) {
    super(aborted ? "The request was aborted." : "Every target of the route failed.");
  }
}

interface InFlight {
  record: AttemptRecord;
  permit: BreakerPermit;
}

interface Lane<T> {
  candidate: RouteCandidate;
  controller: AbortController;
  current: InFlight | null;
  /** Lost a hedge race: its answer, if any, is dropped. */
  cancelled: boolean;
  promise: Promise<LaneResult<T>>;
}

type LaneOk<T> = {
  kind: "ok";
  lane: Lane<T>;
  value: T;
  record: AttemptRecord;
  permit: BreakerPermit;
};
type LaneResult<T> =
  LaneOk<T> | { kind: "error"; lane: Lane<T>; error: unknown } | { kind: "aborted"; lane: Lane<T> };

const HEDGE = Symbol("hedge");

export function executeRoute<T>(options: ExecuteRouteOptions<T>): Promise<RouteSuccess<T>> {
  return new RouteRun(options).run();
}

class RouteRun<T> {
  private calls = 0;
  private lastError: unknown = null;
  private lastCandidate: RouteCandidate | null = null;
  private readonly lanes = new Set<Lane<T>>();
  private next = 0;

  constructor(private readonly o: ExecuteRouteOptions<T>) {}

  async run(): Promise<RouteSuccess<T>> {
    const { candidates, hedgeAfterMs, signal } = this.o;
    let forced = false;
    let escalated: LaneOk<T> | null = null;
    for (;;) {
      if (signal.aborted) {
        this.cancelLanes(null);
        throw new RouteExhausted(this.lastError, this.lastCandidate, this.calls, true);
      }
      if (this.lanes.size === 0) {
        this.launchNext();
        if (this.lanes.size === 0 && this.calls === 0 && escalated === null && !forced) {
          forced = true;
          const soonest = this.soonestToReopen();
          if (soonest !== null) this.launch(soonest, true);
        }
        if (this.lanes.size === 0) break;
      }
      const hedgeMs =
        hedgeAfterMs !== null && this.lanes.size === 1 && this.next < candidates.length
          ? hedgeAfterMs
          : null;
      const settled = await this.nextSettled(hedgeMs);
      if (settled === HEDGE) {
        if (!signal.aborted) this.launchNext();
        continue;
      }
      this.lanes.delete(settled.lane);
      if (settled.kind === "ok") {
        const reason =
          this.o.escalation && this.next < candidates.length
            ? this.o.escalation(settled.value, settled.lane.candidate)
            : null;
        if (reason === null) {
          this.cancelLanes(settled.lane);
          return this.succeed(settled, false);
        }
        settled.record.outcome = "escalated";
        settled.record.errorCode = reason;
        // The target worked; the answer just was not good enough.
        this.o.state.breakers.success(settled.lane.candidate, settled.permit);
        escalated = settled;
      } else if (settled.kind === "error") {
        this.lastError = settled.error;
        this.lastCandidate = settled.lane.candidate;
      }
    }
    if (escalated !== null) {
      escalated.record.outcome = "ok";
      escalated.record.errorCode = null;
      return this.succeed(escalated, true);
    }
    throw new RouteExhausted(this.lastError, this.lastCandidate, this.calls, false);
  }

  /** Starts the next target whose breaker lets it through (recording the ones skipped). */
  private launchNext(): void {
    const { candidates } = this.o;
    while (this.next < candidates.length) {
      if (this.launch(candidates[this.next++]!, false)) return;
    }
  }

  private launch(candidate: RouteCandidate, force: boolean): boolean {
    const permit = this.o.state.breakers.acquire(candidate, this.o.breaker, force);
    if (permit === null) {
      this.o.attempts.push({
        providerId: candidate.providerId,
        model: candidate.model,
        status: null,
        errorCode: "circuit_open",
        latencyMs: 0,
        startedAt: this.o.clock.now(),
        outcome: "skipped-open",
      });
      return false;
    }
    const lane: Lane<T> = {
      candidate,
      controller: new AbortController(),
      current: null,
      cancelled: false,
      promise: null as unknown as Promise<LaneResult<T>>,
    };
    lane.promise = this.runLane(lane, permit);
    this.lanes.add(lane);
    return true;
  }

  /** The open target (of those skipped) that may be tried again the soonest. */
  private soonestToReopen(): RouteCandidate | null {
    let best: RouteCandidate | null = null;
    let bestAt = Infinity;
    for (const candidate of this.o.candidates) {
      const at = this.o.state.breakers.nextProbeAt(candidate);
      if (at < bestAt) {
        best = candidate;
        bestAt = at;
      }
    }
    return best;
  }

  private async nextSettled(hedgeMs: number | null): Promise<LaneResult<T> | typeof HEDGE> {
    const racers: Promise<LaneResult<T> | typeof HEDGE>[] = [];
    for (const lane of this.lanes) racers.push(lane.promise);
    if (hedgeMs === null) return Promise.race(racers);
    const timer = new AbortController();
    racers.push(this.o.state.sleep(hedgeMs, timer.signal).then(() => HEDGE));
    try {
      return await Promise.race(racers);
    } finally {
      timer.abort();
    }
  }

  private async runLane(lane: Lane<T>, firstPermit: BreakerPermit): Promise<LaneResult<T>> {
    const { candidate } = lane;
    const { state, clock, retry, signal } = this.o;
    const onAbort = () => lane.controller.abort(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    let permit: BreakerPermit | null = firstPermit;
    let previousError: unknown = null;
    try {
      for (let attempt = 1; ; attempt++) {
        if (attempt > 1) {
          permit = state.breakers.acquire(candidate, this.o.breaker);
          // Our own failures opened it: this target is done for now.
          if (permit === null) return { kind: "error", lane, error: previousError };
        }
        const record: AttemptRecord = {
          providerId: candidate.providerId,
          model: candidate.model,
          status: null,
          errorCode: null,
          latencyMs: 0,
          startedAt: clock.now(),
          outcome: "ok",
        };
        this.o.attempts.push(record);
        this.calls += 1;
        lane.current = { record, permit: permit! };
        let value: T;
        try {
          value = await this.o.call(candidate, lane.controller.signal, this.calls);
        } catch (err) {
          lane.current = null;
          const elapsed = clock.now() - record.startedAt;
          if (lane.controller.signal.aborted) {
            markAborted(record, elapsed);
            state.breakers.release(candidate, permit!);
            return { kind: "aborted", lane };
          }
          const { status, errorCode } = attemptErrorOf(err);
          record.status = status;
          record.errorCode = errorCode;
          record.latencyMs = elapsed;
          record.outcome = "error";
          const verdict = breakerVerdict(err);
          if (verdict === "failure") {
            state.breakers.failure(candidate, permit!, this.o.breaker);
            state.latency.penalize(candidate.key, elapsed);
          } else if (verdict === "success") {
            state.breakers.success(candidate, permit!);
          } else {
            state.breakers.release(candidate, permit!);
          }
          if (!isRetryable(err) || attempt >= retry.attempts)
            return { kind: "error", lane, error: err };
          const delay = retryDelay(attempt, retryAfterOf(err), retry, state.random);
          if (delay === null) return { kind: "error", lane, error: err };
          await state.sleep(delay, lane.controller.signal);
          if (lane.controller.signal.aborted) return { kind: "aborted", lane };
          previousError = err;
          continue;
        }
        lane.current = null;
        const elapsed = clock.now() - record.startedAt;
        state.latency.observe(candidate.key, elapsed);
        if (lane.cancelled) {
          // Answered after losing a hedge race: a healthy target, but the other answer was sent.
          markAborted(record, elapsed);
          state.breakers.success(candidate, permit!);
          return { kind: "aborted", lane };
        }
        record.status = 200;
        record.latencyMs = elapsed;
        return { kind: "ok", lane, value, record, permit: permit! };
      }
    } catch (err) {
      // Only a fault in the breaker/sleep machinery lands here: report it as this target's failure.
      return { kind: "error", lane, error: err };
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  }

  /** Aborts every lane but `keep`, recording their calls in flight as aborted now. */
  private cancelLanes(keep: Lane<T> | null): void {
    const now = this.o.clock.now();
    for (const lane of this.lanes) {
      if (lane === keep) continue;
      lane.cancelled = true;
      if (lane.current !== null)
        markAborted(lane.current.record, now - lane.current.record.startedAt);
      lane.controller.abort();
    }
    this.lanes.clear();
  }

  private succeed(ok: LaneOk<T>, breakerSettled: boolean): RouteSuccess<T> {
    const { breakers } = this.o.state;
    const { candidate } = ok.lane;
    let settled = breakerSettled;
    return {
      value: ok.value,
      candidate,
      record: ok.record,
      calls: this.calls,
      settle: (outcome, error) => {
        if (settled) return;
        settled = true;
        const verdict = outcome === "failed" ? breakerVerdict(error) : outcome;
        if (verdict === "ok" || verdict === "success") breakers.success(candidate, ok.permit);
        else if (verdict === "failure") breakers.failure(candidate, ok.permit, this.o.breaker);
        else breakers.release(candidate, ok.permit);
      },
    };
  }
}

function markAborted(record: AttemptRecord, elapsed: number): void {
  if (record.outcome === "aborted") return;
  record.outcome = "aborted";
  record.status = null;
  record.errorCode = null;
  record.latencyMs = elapsed;
}
