import type { GatewayLogger, OrgSettingsReader, RequestLogEntry, RequestLogSink } from "~/gateway/ports";
import { logger as processLogger } from "~/lib/logger";
import { getDatabase, type DatabaseHandle, type Db } from "~/server/db";
import { requestLogs } from "~/server/db/schema";
import { createBulkInsert, createCopyInsert, type CopyClient } from "./bulk-insert";
import { createOrgSettingsReader } from "~/server/org-settings/org-settings-reader";
import { createRequestPricer, type PriceRequest } from "~/server/pricing/price-request";
import {
  boundBody,
  DEFAULT_MAX_BODY_BYTES,
  prepareBody,
  redactSecrets,
  stripNul,
  truncateUtf8,
} from "./request-log-bodies";
import { redactMetadata } from "./redact-secrets";

export interface RequestLogWriterOptions {
  /** Entries held in memory at most; beyond it new entries are dropped and counted. */
  maxQueue?: number;
  /** A batch is written at least this often while entries wait. */
  flushIntervalMs?: number;
  /** …and as soon as this many are queued (one multi-row INSERT per batch). */
  batchSize?: number;
  /** Each body is stored up to this many bytes of UTF-8, flagged `bodiesTruncated` beyond. */
  maxBodyBytes?: number;
  /** Pause before the one retry of a failed batch. */
  retryDelayMs?: number;
  /** Write batches with COPY when the driver allows it (default true; false: always INSERT). */
  copy?: boolean;
  /** Whether an org stores bodies (defaults to a cached reader over `db`). */
  settings?: OrgSettingsReader;
  /** Prices a request (defaults to org overrides, then the bundled catalog). */
  priceRequest?: PriceRequest;
  logger?: GatewayLogger;
}

export interface RequestLogWriterStats {
  /** Waiting in memory (including a batch being written). */
  queued: number;
  written: number;
  /** Lost: refused because the queue was full, or in a batch that failed twice. */
  dropped: number;
  failedBatches: number;
}

export interface RequestLogWriter extends RequestLogSink {
  /** Resolves once everything recorded before the call is written (or counted as dropped). */
  flush(): Promise<void>;
  /**
   * Stops the timer and flushes (graceful shutdown). Gives up after `timeoutMs` (default 15 s) if
   * the database does not answer, counting what is left as dropped. Later entries are still written.
   */
  stop(options?: { timeoutMs?: number }): Promise<void>;
  stats(): RequestLogWriterStats;
}

/** Postgres allows 65,535 bind parameters per statement: 2,000 rows × 28 columns stay below it. */
const MAX_BATCH_SIZE = 2_000;
const MAX_ERROR_MESSAGE_BYTES = 4_096;
const INT4_MAX = 2_147_483_647;

/** One statement per batch, whatever its size (see bulk-insert.ts). */
const insertRequestLogs = createBulkInsert(requestLogs, "id");
const copyRequestLogs = createCopyInsert(requestLogs);

/** A COPY that failed this many times in a row is given up for the INSERT (e.g. a server without it). */
const MAX_COPY_FAILURES = 3;

/** The postgres.js client under a drizzle database, when that is what it is (PGlite has none). */
function copyClientOf(db: Db): CopyClient | null {
  const client = (db as unknown as { $client?: { unsafe?: unknown; begin?: unknown } }).$client;
  return client && typeof client.unsafe === "function" && typeof client.begin === "function"
    ? (client as unknown as CopyClient)
    : null;
}

type RequestLogRow = typeof requestLogs.$inferInsert;

const toInt = (n: number | null | undefined): number | null =>
  n === null || n === undefined || !Number.isFinite(n) ? null : Math.min(INT4_MAX, Math.max(0, Math.round(n)));

const cleanText = (s: string | null): string | null => (s === null ? null : stripNul(s));

function cleanMetadata(m: Record<string, string> | null): Record<string, string> | null {
  if (!m) return null;
  const entries = Object.entries(m);
  if (!entries.some(([k, v]) => k.includes("\u0000") || v.includes("\u0000"))) return m;
  return Object.fromEntries(entries.map(([k, v]) => [stripNul(k), stripNul(v)]));
}

/**
 * The request-log sink: `record` is a bounds check and an array push on the hot path; everything
 * else (settings lookups, redaction, truncation, pricing, the INSERT) happens in batches off it.
 * A full queue drops and counts entries instead of growing or blocking; a batch that fails twice
 * is counted and dropped with a log line. Nothing here throws into the request.
 */
export function createRequestLogWriter(db: Db, options: RequestLogWriterOptions = {}): RequestLogWriter {
  const maxQueue = Math.max(1, options.maxQueue ?? 10_000);
  const flushIntervalMs = Math.max(1, options.flushIntervalMs ?? 1_000);
  const batchSize = Math.min(MAX_BATCH_SIZE, Math.max(1, options.batchSize ?? 500));
  const maxBodyBytes = Math.max(0, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
  const retryDelayMs = Math.max(0, options.retryDelayMs ?? 250);
  const settings = options.settings ?? createOrgSettingsReader(db);
  const priceRequest = options.priceRequest ?? createRequestPricer(db);
  const log = options.logger ?? processLogger;
  const copyClient = options.copy === false ? null : copyClientOf(db);
  let copyFailures = 0;

  let queue: RequestLogEntry[] = [];
  /** Entries accepted / settled (written or dropped after failure) since creation. */
  let accepted = 0;
  let settled = 0;
  let inFlight = 0;
  let written = 0;
  let dropped = 0;
  let failedBatches = 0;
  /** Overflow drops not yet reported: the timer logs them, at most once per interval. */
  let overflowUnreported = 0;
  let stopped = false;
  let pumpScheduled = false;
  let drainRequested = false;
  let pump: Promise<void> | null = null;

  const timer = setInterval(() => {
    reportOverflow();
    if (queue.length > 0) void drain();
  }, flushIntervalMs);
  timer.unref?.();

  function reportOverflow(): void {
    if (overflowUnreported === 0) return;
    log.warn("request log queue full: entries dropped", {
      dropped: overflowUnreported,
      droppedTotal: dropped,
      maxQueue,
    });
    overflowUnreported = 0;
  }

  /** Starts a write on a later turn of the event loop, never inside the caller's `record`. */
  function schedulePump(): void {
    if (pumpScheduled || pump) return;
    pumpScheduled = true;
    setImmediate(() => {
      pumpScheduled = false;
      void (stopped ? drain() : runPump());
    });
  }

  /**
   * Writes full batches while there are any, and the partial remainder too once a drain was asked
   * for (the interval timer, flush, stop). Concurrent callers share the run.
   */
  function runPump(): Promise<void> {
    pump ??= (async () => {
      try {
        while (queue.length >= batchSize || (drainRequested && queue.length > 0)) {
          const batch = queue.length <= batchSize ? queue : queue.slice(0, batchSize);
          queue = queue.length <= batchSize ? [] : queue.slice(batchSize);
          inFlight = batch.length;
          await writeBatch(batch);
          inFlight = 0;
          settled += batch.length;
        }
      } finally {
        drainRequested = false;
        inFlight = 0;
        pump = null;
      }
    })();
    return pump;
  }

  function drain(): Promise<void> {
    drainRequested = true;
    return runPump();
  }

  async function writeBatch(batch: RequestLogEntry[]): Promise<void> {
    let rows: RequestLogRow[];
    try {
      rows = await toRows(batch);
    } catch (err) {
      failBatch(batch.length, err);
      return;
    }
    if (copyClient !== null && copyFailures < MAX_COPY_FAILURES) {
      try {
        await copyRequestLogs.insert(copyClient, rows);
        copyFailures = 0;
        written += rows.length;
        return;
      } catch (err) {
        // The INSERT below skips rows a COPY may have committed before its answer was lost.
        copyFailures += 1;
        log.warn("request log COPY failed; writing the batch with INSERT", {
          rows: rows.length,
          error: describe(err),
        });
      }
    }
    try {
      await insert(rows);
    } catch (first) {
      log.warn("request log batch failed; retrying once", { rows: rows.length, error: describe(first) });
      await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
      try {
        await insert(rows);
      } catch (second) {
        failBatch(rows.length, second);
        return;
      }
    }
    written += rows.length;
  }

  function failBatch(size: number, err: unknown): void {
    failedBatches += 1;
    dropped += size;
    log.error("request log batch dropped", { rows: size, failedBatches, error: describe(err) });
  }

  async function insert(rows: RequestLogRow[]): Promise<void> {
    // A retry after an ambiguous failure (committed, but the answer was lost) must not conflict.
    await insertRequestLogs.insert(db, rows);
  }

  async function toRows(batch: RequestLogEntry[]): Promise<RequestLogRow[]> {
    const storeBodiesByOrg = new Map<string, Promise<boolean>>();
    const storeBodies = (orgId: string): Promise<boolean> => {
      let answer = storeBodiesByOrg.get(orgId);
      if (!answer) {
        answer = Promise.resolve()
          .then(() => settings.get(orgId))
          .then(
            (s) => s.storeBodies,
            (err: unknown) => {
              // Unknown switch: keep the private choice.
              log.warn("request log: could not read org settings; bodies not stored", {
                orgId,
                error: describe(err),
              });
              return false;
            },
          );
        storeBodiesByOrg.set(orgId, answer);
      }
      return answer;
    };

    const rows: RequestLogRow[] = [];
    for (const entry of batch) {
      const keepBodies = await storeBodies(entry.orgId);
      const request = keepBodies ? prepareBody(entry.requestBody, maxBodyBytes) : { text: null, truncated: false };
      const response = keepBodies ? prepareBody(entry.responseBody, maxBodyBytes) : { text: null, truncated: false };
      const cost = entry.priced ?? (await costOf(entry));
      const usage = entry.usage;
      rows.push({
        id: entry.id,
        clientRequestId: entry.clientRequestId,
        orgId: entry.orgId,
        apiKeyId: entry.apiKeyId,
        endpoint: entry.endpoint,
        endUser: cleanText(entry.endUser),
        metadata: cleanMetadata(redactMetadata(entry.metadata)),
        requestedModel: cleanText(entry.requestedModel),
        servedModel: cleanText(entry.servedModel),
        providerId: entry.providerId,
        providerType: entry.providerType,
        stream: entry.stream,
        status: toInt(entry.status) ?? 0,
        errorCode: cleanText(entry.errorCode),
        errorMessage:
          entry.errorMessage === null
            ? null
            : truncateUtf8(stripNul(redactSecrets(entry.errorMessage)), MAX_ERROR_MESSAGE_BYTES).text,
        finishReason: entry.finishReason,
        latencyMs: toInt(entry.latencyMs) ?? 0,
        ttftMs: toInt(entry.ttftMs),
        upstreamMs: toInt(entry.upstreamMs),
        promptTokens: usage ? toInt(usage.promptTokens) : null,
        completionTokens: usage ? toInt(usage.completionTokens) : null,
        cachedTokens: usage ? toInt(usage.cachedReadTokens) : null,
        reasoningTokens: usage ? toInt(usage.reasoningTokens) : null,
        costMicros: cost.costMicros,
        unpriced: cost.unpriced,
        requestBody: request.text,
        responseBody: response.text,
        bodiesTruncated: request.truncated || response.truncated,
        routeName: cleanText(entry.routeName),
        attempts: entry.attempts && entry.attempts.length > 0 ? [...entry.attempts] : null,
        cacheStatus: entry.cacheStatus ?? null,
        savedMicros: entry.savedMicros ?? null,
        guardrailHits: entry.guardrailHits && entry.guardrailHits.length > 0 ? [...entry.guardrailHits] : null,
        guardrailAction: entry.guardrailAction ?? null,
        // When the request finished: the order entries reach the queue, so a live tail that
        // asks for "newer than the newest I have" (with a small overlap) misses nothing.
        createdAt: new Date(entry.startedAt.getTime() + Math.max(0, Math.round(entry.latencyMs || 0))),
      });
    }
    return rows;
  }

  async function costOf(entry: RequestLogEntry): Promise<{ costMicros: bigint | null; unpriced: boolean }> {
    const model = entry.servedModel ?? entry.requestedModel;
    // Nothing was used (an error before or at the upstream): no cost, and not "unpriced" either.
    if (!entry.usage || !model) return { costMicros: null, unpriced: false };
    try {
      const price = await priceRequest({
        orgId: entry.orgId,
        providerType: entry.providerType,
        providerId: entry.providerId,
        model,
        usage: entry.usage,
        at: entry.startedAt,
      });
      return price.unpriced ? { costMicros: null, unpriced: true } : { costMicros: price.costMicros, unpriced: false };
    } catch (err) {
      log.warn("request log: pricing failed; recorded as unpriced", { model, error: describe(err) });
      return { costMicros: null, unpriced: true };
    }
  }

  return {
    record(entry) {
      try {
        if (queue.length + inFlight >= maxQueue) {
          dropped += 1;
          overflowUnreported += 1;
          return;
        }
        const keep = maxBodyBytes;
        const req = entry.requestBody;
        const res = entry.responseBody;
        // Oversized bodies are bounded now so a full queue stays small; the rest waits as is.
        const bounded =
          (req !== null && req.length > keep) || (res !== null && res.length > keep)
            ? { ...entry, requestBody: boundBody(req, keep), responseBody: boundBody(res, keep) }
            : entry;
        queue.push(bounded);
        accepted += 1;
        if (queue.length >= batchSize || stopped) schedulePump();
      } catch {
        // Never let logging fail a request.
        dropped += 1;
      }
    },

    async flush() {
      const target = accepted;
      while (settled < target) {
        if (!pump && queue.length === 0) break;
        await drain();
      }
      reportOverflow();
    },

    async stop(stopOptions) {
      stopped = true;
      clearInterval(timer);
      let deadline: ReturnType<typeof setTimeout> | undefined;
      const gaveUp = await Promise.race([
        this.flush().then(() => false),
        new Promise<boolean>((resolve) => {
          deadline = setTimeout(() => resolve(true), stopOptions?.timeoutMs ?? 15_000);
        }),
      ]);
      clearTimeout(deadline);
      if (gaveUp) {
        const lost = queue.length + inFlight;
        dropped += lost;
        settled += queue.length;
        queue = [];
        inFlight = 0;
        log.error("request log: database did not answer at shutdown; entries not written", { lost });
      }
    },

    stats() {
      return { queued: queue.length + inFlight, written, dropped, failedBatches };
    },
  };
}

/**
 * An error for the log. A failed query's own message carries the statement and every parameter
 * (whole request bodies): the database's reason (its cause) is logged instead, bounded.
 */
function describe(err: unknown): string {
  const reason = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  const message = reason instanceof Error ? reason.message : String(reason);
  return message.length > 500 ? `${message.slice(0, 500)}…` : message;
}

// ---------------------------------------------------------------------------------------------
// The process-wide writer

interface WriterState {
  handle: DatabaseHandle;
  writer: RequestLogWriter;
}

// On globalThis so the custom server and Next's bundled route handlers share one queue.
const state = globalThis as unknown as { __switchyardRequestLogWriter?: WriterState };

/** The writer for this database handle (created and started on first use; replaced if the handle changes). */
export function requestLogWriterFor(handle: DatabaseHandle): RequestLogWriter {
  const current = state.__switchyardRequestLogWriter;
  if (current?.handle === handle) return current.writer;
  if (current) void current.writer.stop();
  // COPY runs in a transaction: not on the embedded process's one shared session.
  const writer = createRequestLogWriter(handle.db, { copy: handle.embeddedProcess !== true });
  state.__switchyardRequestLogWriter = { handle, writer };
  return writer;
}

/** The process-wide request-log writer over the process database. */
export async function getRequestLogWriter(): Promise<RequestLogWriter> {
  return requestLogWriterFor(await getDatabase());
}

/** Flushes and forgets the process-wide writer (graceful shutdown, tests). */
export async function stopRequestLogWriter(): Promise<void> {
  const current = state.__switchyardRequestLogWriter;
  state.__switchyardRequestLogWriter = undefined;
  await current?.writer.stop();
}
