import { Badge } from "~/components/badge";
import { Time } from "~/components/time";
import type { ProviderTestResultView } from "../server/provider-view";
import type { ConnectionTestResult } from "../server/test-provider-connection";

/** The last recorded connection test of a provider, for the table. */
export function LastTestBadge({ lastTest }: { lastTest: ProviderTestResultView | null }) {
  if (!lastTest) return <span className="text-xs text-zinc-400">Not tested</span>;
  return (
    <span
      className="inline-flex flex-col items-start gap-0.5"
      title={lastTest.message ?? undefined}
    >
      <Badge tone={lastTest.ok ? "success" : "danger"}>{lastTest.ok ? "OK" : "Failed"}</Badge>
      <span className="text-xs text-zinc-500">
        <Time value={lastTest.at} />
      </span>
    </span>
  );
}

/** A test that just ran: what happened, in one line. */
export function TestResultNote({ result }: { result: ConnectionTestResult }) {
  return (
    <span
      role={result.ok ? "status" : "alert"}
      data-testid="test-result"
      className={
        result.ok
          ? "inline-flex items-center gap-2 text-sm text-emerald-700"
          : "inline-flex min-w-0 items-center gap-2 text-sm text-red-700"
      }
    >
      <Badge tone={result.ok ? "success" : "danger"}>{result.ok ? "Connected" : "Failed"}</Badge>
      <span className="min-w-0 break-words">
        {result.ok ? `${result.modelCount ?? 0} models listed` : result.message}
        <span className="text-zinc-500"> · {result.latencyMs} ms</span>
      </span>
    </span>
  );
}
