"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Alert } from "~/components/alert";
import { Badge } from "~/components/badge";
import { Button } from "~/components/button";
import { Input, Textarea } from "~/components/input";
import { Table, TBody, TD, TH, THead, TR } from "~/components/table";
import { errorMessage } from "~/trpc/error-message";
import { useTRPC } from "~/trpc/react";

const OUTCOME: Record<string, { tone: "success" | "danger" | "info" | "warning"; text: string }> = {
  allowed: { tone: "success", text: "Allowed unchanged" },
  blocked: { tone: "danger", text: "Blocked" },
  rerouted: { tone: "info", text: "Rerouted" },
  rewritten: { tone: "info", text: "Sent with values replaced" },
  flagged: { tone: "warning", text: "Allowed, flagged" },
};

const SAMPLE = "Please email the invoice to jane.doe@example.com and call me on +1 415 555 0134.";

/** Runs a sample prompt through the org's policies as the gateway would, without calling a model. */
export function PolicyTestBox({ orgSlug }: { orgSlug: string }) {
  const trpc = useTRPC();
  const [prompt, setPrompt] = useState(SAMPLE);
  const [model, setModel] = useState("gpt-4o-mini");
  const run = useMutation(trpc.policies.test.mutationOptions());
  const result = run.data;
  return (
    <section id="test-policies" className="rounded-lg border border-zinc-200 bg-white p-4 shadow-sm" data-testid="policy-test-box">
      <h2 className="text-sm font-semibold text-zinc-900">Test your policies</h2>
      <p className="mt-0.5 text-sm text-zinc-600">
        A prompt goes through every enabled policy as a request would. Nothing is sent to a provider.
      </p>
      <form
        className="mt-3 space-y-2"
        onSubmit={(e) => {
          e.preventDefault();
          run.mutate({ orgSlug, prompt, model });
        }}
      >
        <Textarea aria-label="Sample prompt" rows={3} value={prompt} onChange={(e) => setPrompt(e.target.value)} />
        <div className="flex flex-wrap items-center gap-2">
          <Input aria-label="Model" className="w-56 font-mono" value={model} onChange={(e) => setModel(e.target.value)} />
          <Button type="submit" loading={run.isPending} disabled={prompt.trim() === ""}>
            Run policies
          </Button>
        </div>
      </form>
      {run.error ? (
        <div className="mt-3">
          <Alert tone="danger">{errorMessage(run.error)}</Alert>
        </div>
      ) : null}
      {result ? (
        <div className="mt-4 space-y-3" data-testid="policy-test-result">
          <div className="flex flex-wrap items-center gap-2 text-sm">
            <Badge tone={OUTCOME[result.outcome]!.tone}>{OUTCOME[result.outcome]!.text}</Badge>
            {result.blockedBy ? (
              <span className="text-zinc-700">
                by {result.blockedBy.policyName}, rule <code className="font-mono">{result.blockedBy.rule}</code>
              </span>
            ) : null}
            {result.rerouteTo ? (
              <span className="text-zinc-700">
                to <code className="font-mono">{result.rerouteTo}</code>
              </span>
            ) : null}
            {result.outputPolicies.length > 0 ? (
              <span className="text-xs text-zinc-500">Answers are also checked by: {result.outputPolicies.join(", ")}</span>
            ) : null}
          </div>
          {result.hits.length === 0 ? (
            <p className="text-sm text-zinc-600">No policy found anything in this prompt.</p>
          ) : (
            <Table label="Detector hits">
              <THead>
                <TR>
                  <TH>Found</TH>
                  <TH>Text</TH>
                  <TH>Policy · rule</TH>
                  <TH>Action</TH>
                  <TH className="text-right">Confidence</TH>
                </TR>
              </THead>
              <TBody>
                {result.hits.map((h, i) => (
                  <TR key={i}>
                    <TD>
                      <span className="font-mono text-zinc-900">{h.label}</span>
                      <span className="block text-xs text-zinc-500">{h.detector}</span>
                    </TD>
                    <TD className="max-w-64 truncate font-mono text-xs">{h.text || <span className="text-zinc-400">{h.location}</span>}</TD>
                    <TD>
                      {h.policyName} <span className="text-zinc-400">·</span> <code className="font-mono text-xs">{h.rule}</code>
                    </TD>
                    <TD>
                      <Badge tone={h.action === "block" ? "danger" : h.action === "flag" ? "warning" : "info"}>{h.action}</Badge>
                    </TD>
                    <TD className="text-right tabular-nums">{h.confidence.toFixed(2)}</TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          )}
          {result.sentRequest ? (
            <div>
              <h3 className="mb-1 text-xs font-semibold tracking-wide text-zinc-500 uppercase">What the provider would receive</h3>
              <pre className="overflow-x-auto rounded-md bg-zinc-950 p-3 font-mono text-xs text-zinc-100" data-testid="policy-test-request">
                {result.sentRequest}
              </pre>
            </div>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
