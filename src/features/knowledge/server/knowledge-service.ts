import { sql } from "drizzle-orm";
import { env } from "~/env";
import { GatewayError } from "~/gateway/gateway-error";
import type { KnowledgeBase } from "~/gateway/knowledge/types";
import type { Db } from "~/server/db";
import { DomainError, type DomainErrorCode } from "~/server/domain/domain-error";
import { createKnowledgeBase } from "~/server/knowledge/knowledge-base";
import { createProviderDirectory } from "~/server/providers/provider-directory";

/**
 * The same knowledge base the API uses, over the console's database handle. Whether pgvector is
 * there is asked of the database once per handle (the console has no migration result at hand).
 */

const services = new WeakMap<Db, Promise<{ kb: KnowledgeBase; vectorAvailable: boolean }>>();

async function vectorTablesPresent(db: Db): Promise<boolean> {
  const result = await db.execute<{ present: boolean }>(
    sql`select to_regclass('knowledge_chunks') is not null as present`,
  );
  const rows = Array.isArray(result) ? result : (result as unknown as { rows: { present: boolean }[] }).rows;
  return rows[0]?.present === true;
}

export function knowledgeService(db: Db): Promise<{ kb: KnowledgeBase; vectorAvailable: boolean }> {
  let service = services.get(db);
  if (!service) {
    service = vectorTablesPresent(db).then((vectorAvailable) => ({
      vectorAvailable,
      kb: createKnowledgeBase({
        handle: { db, vectorAvailable, vectorUnavailableReason: "pgvector is not installed in this database" },
        providers: createProviderDirectory(db),
        maxFileBytes: maxFileBytes(),
      }),
    }));
    services.set(db, service);
  }
  return service;
}

export function maxFileBytes(): number {
  return Math.round(env().SWITCHYARD_MAX_FILE_MB * 1024 * 1024);
}

const CODES: Record<number, DomainErrorCode> = {
  400: "BAD_REQUEST",
  404: "NOT_FOUND",
  409: "CONFLICT",
  413: "BAD_REQUEST",
  503: "PRECONDITION_FAILED",
};

/** Runs a knowledge-base call, turning its API errors into the console's. */
export async function asDomain<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof GatewayError) throw new DomainError(CODES[err.status] ?? "BAD_REQUEST", err.message);
    throw err;
  }
}

export function storeNotFound(): DomainError {
  return new DomainError("NOT_FOUND", "This knowledge base does not exist (it may have been deleted).");
}
