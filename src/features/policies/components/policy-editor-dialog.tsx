"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { Alert } from "~/components/alert";
import { Button } from "~/components/button";
import { Dialog } from "~/components/dialog";
import { Textarea } from "~/components/input";
import { useToast } from "~/components/toast";
import { errorMessage } from "~/trpc/error-message";
import { useTRPC } from "~/trpc/react";
import { parsePolicyText, policyToYaml, SAMPLE_POLICY_YAML } from "../policy-document";
import type { PolicyView } from "../server/policy-view";

/**
 * Creates or edits one policy as YAML (or JSON). The text is checked as it is typed, with the
 * same parser and schema the server uses, so problems show before saving.
 */
export function PolicyEditorDialog({
  orgSlug,
  editing,
  onClose,
}: {
  orgSlug: string;
  editing: PolicyView | null;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [text, setText] = useState(() => (editing ? policyToYaml(editing.definition) : SAMPLE_POLICY_YAML));
  const checked = useMemo(() => parsePolicyText(text), [text]);
  const idChanged = editing !== null && checked.ok && checked.value.id !== editing.policyId;
  const save = useMutation(
    trpc.policies.save.mutationOptions({
      onSuccess: (saved) => {
        toast.success(
          saved.change === "unchanged"
            ? `No changes to ${saved.policy.name}.`
            : `Saved ${saved.policy.name} (version ${saved.policy.version}).`,
        );
        onClose();
      },
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.policies.list.queryKey({ orgSlug }) }),
    }),
  );
  return (
    <Dialog
      open
      onClose={onClose}
      size="lg"
      title={editing ? `Edit ${editing.name}` : "New policy"}
      description={
        <>
          YAML or JSON. Rules pick detectors (<code className="font-mono">pii</code>,{" "}
          <code className="font-mono">secret</code>, <code className="font-mono">pii.email</code>…), regexes,
          keywords, size or model limits, and an action: block, redact, mask, flag or reroute.
        </>
      }
      testId="policy-editor"
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button
            disabled={!checked.ok || idChanged}
            loading={save.isPending}
            onClick={() => save.mutate({ orgSlug, document: text, expectedVersion: editing?.version })}
          >
            {editing ? "Save new version" : "Create policy"}
          </Button>
        </>
      }
    >
      <div className="space-y-3">
        <Textarea
          aria-label="Policy (YAML or JSON)"
          value={text}
          onChange={(e) => setText(e.target.value)}
          spellCheck={false}
          rows={18}
          className="font-mono text-[13px] leading-relaxed"
          aria-invalid={!checked.ok}
        />
        {!checked.ok ? (
          <Alert tone="danger" title={`${checked.problems.length} problem${checked.problems.length === 1 ? "" : "s"}`}>
            <ul className="list-disc space-y-0.5 pl-4 font-mono text-xs" data-testid="policy-problems">
              {checked.problems.slice(0, 12).map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </Alert>
        ) : idChanged ? (
          <Alert tone="warning" title="The id changed">
            A policy&apos;s id cannot change. Keep <code className="font-mono">{editing?.policyId}</code>, or create a
            new policy instead.
          </Alert>
        ) : (
          <p className="text-xs text-emerald-700">
            Valid: {checked.value.rules.length} rule{checked.value.rules.length === 1 ? "" : "s"}, stage{" "}
            {checked.value.stage}, priority {checked.value.priority}.
          </p>
        )}
        {save.error ? <Alert tone="danger">{errorMessage(save.error)}</Alert> : null}
      </div>
    </Dialog>
  );
}
