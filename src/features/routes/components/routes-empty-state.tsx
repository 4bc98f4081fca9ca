import type { ReactNode } from "react";
import { RoutesIcon } from "~/components/icons";
import { SAMPLE_ROUTES_YAML } from "../route-document";

/** No routes at all: what a route is, how to make the first one, and what a routes file looks like. */
export function RoutesEmptyState({ orgSlug, action }: { orgSlug: string; action: ReactNode }) {
  return (
    <div
      className="rounded-lg border border-dashed border-zinc-300 bg-white px-6 py-10"
      data-testid="routes-empty"
    >
      <div className="mx-auto flex max-w-xl flex-col items-center text-center">
        <div className="mb-3 flex size-10 items-center justify-center rounded-full bg-brand-50 text-brand-600">
          <RoutesIcon className="size-5" />
        </div>
        <h3 className="text-sm font-semibold text-zinc-900">No routes yet</h3>
        <p className="mt-1 text-sm text-zinc-600">
          A route is a model name of your own, such as <code className="font-mono">smart</code>,
          that your apps call like any model. Switchyard sends each request to the route&apos;s
          targets: in order with fallbacks, split by weight, or to the fastest or cheapest, with
          retries and circuit breakers. Create one here, or write a routes file and apply it with
          the CLI.
        </p>
        {action ? <div className="mt-5">{action}</div> : null}
      </div>
      <div className="mx-auto mt-6 max-w-xl">
        <div className="overflow-hidden rounded-lg border border-zinc-800 bg-zinc-950">
          <div className="border-b border-zinc-800 px-3 py-1.5 text-xs font-medium text-zinc-400">
            routes.yaml
          </div>
          <pre className="overflow-x-auto p-4 text-[13px] leading-relaxed text-zinc-100">
            <code>{SAMPLE_ROUTES_YAML}</code>
          </pre>
        </div>
        <p className="mt-2 text-xs text-zinc-500">
          Apply it with{" "}
          <code className="font-mono break-all">
            npm run cli -- routes apply --org {orgSlug} --file routes.yaml
          </code>
        </p>
      </div>
    </div>
  );
}
