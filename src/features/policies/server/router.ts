import { createTRPCRouter, scopedProcedure } from "~/server/api/trpc";
import { applyPoliciesInput, policyIdInput, savePolicyInput, setPolicyEnabledInput, testPoliciesInput } from "../schemas";
import { applyPolicies } from "./apply-policies";
import { deletePolicy } from "./delete-policy";
import { listPolicies } from "./list-policies";
import { listPolicyVersions } from "./list-policy-versions";
import { savePolicy } from "./save-policy";
import { setPolicyEnabled } from "./set-policy-enabled";
import { testPolicies } from "./test-policies";

export const policiesRouter = createTRPCRouter({
  list: scopedProcedure("policies:read").query(({ ctx }) => listPolicies(ctx.db, { orgId: ctx.org.id })),
  versions: scopedProcedure("policies:read")
    .input(policyIdInput)
    .query(({ ctx, input }) => listPolicyVersions(ctx.db, { orgId: ctx.org.id, input })),
  test: scopedProcedure("policies:read")
    .input(testPoliciesInput)
    .mutation(({ ctx, input }) => testPolicies(ctx.db, { orgId: ctx.org.id, input })),
  save: scopedProcedure("policies:write")
    .input(savePolicyInput)
    .mutation(({ ctx, input }) => savePolicy(ctx.db, { orgId: ctx.org.id, actor: ctx.actor, input })),
  setEnabled: scopedProcedure("policies:write")
    .input(setPolicyEnabledInput)
    .mutation(({ ctx, input }) => setPolicyEnabled(ctx.db, { orgId: ctx.org.id, actor: ctx.actor, input })),
  delete: scopedProcedure("policies:write")
    .input(policyIdInput)
    .mutation(({ ctx, input }) => deletePolicy(ctx.db, { orgId: ctx.org.id, actor: ctx.actor, input })),
  applyDocument: scopedProcedure("policies:write")
    .input(applyPoliciesInput)
    .mutation(({ ctx, input }) => applyPolicies(ctx.db, { orgId: ctx.org.id, actor: ctx.actor, input })),
});
