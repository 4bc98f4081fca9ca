import { and, count, eq, isNull, type SQL } from "drizzle-orm";
import type { Db } from "~/server/db";
import { apiKeys, budgets } from "~/server/db/schema";
import type { Actor } from "~/server/domain/actor";
import { DomainError } from "~/server/domain/domain-error";
import { recordAuditEvent } from "~/features/audit/server/record-audit-event";
import { invalidateOrgLimits } from "~/server/limits-config/limits-directory";
import type { CreateBudgetInput } from "../schemas";
import { budgetSpend } from "./budget-spend";
import { describeBudget, toBudgetView, type BudgetView } from "./budget-view";
import { isUniqueViolation, keyNotFound, newLimitsId, usdText } from "./limits-rules";

/** At most this many budgets per org (the engine checks at most 100 per request). */
export const MAX_BUDGETS_PER_ORG = 100;

const duplicate = (input: CreateBudgetInput) =>
  new DomainError(
    "CONFLICT",
    `There is already a ${input.period} ${input.scope === "key" ? "budget for this key" : input.scope === "user" ? "per-end-user budget" : "org budget"}; edit it instead.`,
  );

/** Adds a budget (org, one key, or each end user) to the org. */
export async function createBudget(
  db: Db,
  args: { orgId: string; actor: Actor; input: CreateBudgetInput },
): Promise<BudgetView> {
  const { orgId, input } = args;
  const created = await db
    .transaction(async (tx) => {
      let keyName: string | null = null;
      if (input.scope === "key") {
        const [key] = await tx
          .select({ name: apiKeys.name, revokedAt: apiKeys.revokedAt })
          .from(apiKeys)
          .where(and(eq(apiKeys.id, input.keyId!), eq(apiKeys.orgId, orgId)))
          .limit(1);
        if (!key) throw keyNotFound();
        if (key.revokedAt) throw new DomainError("CONFLICT", "This API key is revoked.");
        keyName = key.name;
      }
      const [{ n }] = (await tx
        .select({ n: count() })
        .from(budgets)
        .where(eq(budgets.orgId, orgId))) as [{ n: number }];
      if (n >= MAX_BUDGETS_PER_ORG) {
        throw new DomainError(
          "BAD_REQUEST",
          `An organization has at most ${MAX_BUDGETS_PER_ORG} budgets; delete one first.`,
        );
      }
      const sameKey: SQL = input.keyId ? eq(budgets.keyId, input.keyId) : isNull(budgets.keyId);
      const [clash] = await tx
        .select({ id: budgets.id })
        .from(budgets)
        .where(
          and(
            eq(budgets.orgId, orgId),
            eq(budgets.scope, input.scope),
            eq(budgets.period, input.period),
            sameKey,
          ),
        )
        .limit(1);
      if (clash) throw duplicate(input);
      const [row] = await tx
        .insert(budgets)
        .values({
          id: newLimitsId("bud"),
          orgId,
          scope: input.scope,
          keyId: input.keyId,
          amountMicros: input.amountMicros,
          period: input.period,
          hard: input.hard,
          alertThresholds: [...input.alertThresholds],
          createdByUserId: args.actor.type === "user" ? args.actor.id : null,
          createdByLabel: args.actor.label,
        })
        .returning();
      await recordAuditEvent(tx, {
        orgId,
        actor: args.actor,
        action: "budget.create",
        targetType: "budget",
        targetId: row!.id,
        summary: `Created a ${describeBudget({ ...input, amountText: usdText(input.amountMicros), keyName })}`,
        changes: {
          after: {
            scope: input.scope,
            keyId: input.keyId,
            amountMicros: input.amountMicros,
            period: input.period,
            hard: input.hard,
            alertThresholds: input.alertThresholds,
          },
        },
      });
      return { row: row!, keyName };
    })
    .catch((err: unknown) => {
      if (isUniqueViolation(err)) throw duplicate(input);
      throw err;
    });
  invalidateOrgLimits(orgId);
  return toBudgetView(
    created.row,
    created.keyName,
    await budgetSpend(db, { orgId, budget: created.row }),
  );
}
