"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Alert } from "~/components/alert";
import { Button } from "~/components/button";
import { PlusIcon, XIcon } from "~/components/icons";
import { PageHeader } from "~/components/page-header";
import { LoadingBlock } from "~/components/spinner";
import { useToast } from "~/components/toast";
import { useOrg } from "~/features/shell/components/org-context";
import { errorMessage } from "~/trpc/error-message";
import { useTRPC } from "~/trpc/react";
import type { RouteView } from "../server/route-view";
import { DeleteRouteDialog } from "./delete-route-dialog";
import { RouteEditorDialog, type SavedRoute } from "./route-editor-dialog";
import { RoutesEmptyState } from "./routes-empty-state";
import { InstanceRoutesTable, OrgRoutesTable } from "./routes-tables";
import { TargetHealth } from "./target-health";
import { TryRoutePanel } from "./try-route-panel";

function SavedNotice({ saved, onDismiss }: { saved: SavedRoute; onDismiss: () => void }) {
  return (
    <div className="relative mb-4">
      <Alert tone="warning" title={`Saved route ${saved.name}; worth a look:`}>
        <ul className="list-disc space-y-0.5 pl-4">
          {saved.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      </Alert>
      <button
        type="button"
        onClick={onDismiss}
        aria-label="Dismiss"
        className="absolute top-2 right-2 rounded p-1 text-amber-800 hover:bg-amber-100"
      >
        <XIcon className="size-4" />
      </button>
    </div>
  );
}

export function RoutesView() {
  const org = useOrg();
  const trpc = useTRPC();
  const toast = useToast();
  const list = useQuery(trpc.routes.list.queryOptions({ orgSlug: org.slug }));
  const canWrite = org.can("routes:write");
  const [editor, setEditor] = useState<{ editing: RouteView | null } | null>(null);
  const [deleting, setDeleting] = useState<RouteView | null>(null);
  const [saved, setSaved] = useState<SavedRoute | null>(null);
  const [tryName, setTryName] = useState("");

  const newButton = canWrite ? (
    <Button icon={<PlusIcon />} onClick={() => setEditor({ editing: null })} disabled={!list.data}>
      New route
    </Button>
  ) : null;

  const own = list.data?.org ?? [];
  const instance = list.data?.instance ?? [];
  // What the gateway serves this org: enabled own routes, then config routes not replaced.
  const served = [
    ...own.filter((r) => r.enabled).map((r) => r.name),
    ...instance.filter((r) => !r.overridden).map((r) => r.name),
  ];

  function tryRoute(name: string) {
    setTryName(name);
    document.getElementById("try-route")?.scrollIntoView({ behavior: "smooth", block: "start" });
  }

  return (
    <>
      <PageHeader
        title="Routes"
        description={
          <>
            Model names of your own that spread requests over several targets, with fallbacks,
            weights, retries and circuit breakers. Apps call a route like any model, e.g.{" "}
            <code className="font-mono">&quot;model&quot;: &quot;smart&quot;</code>.
          </>
        }
        actions={newButton}
      />
      {!canWrite ? (
        <Alert tone="info" className="mb-4">
          Your role ({org.role}) can view routes; owners and admins create, change and try them.
        </Alert>
      ) : null}
      {saved && saved.warnings.length > 0 ? (
        <SavedNotice saved={saved} onDismiss={() => setSaved(null)} />
      ) : null}

      {list.isPending ? (
        <LoadingBlock label="Loading routes…" />
      ) : list.isError ? (
        <Alert tone="danger">{errorMessage(list.error)}</Alert>
      ) : (
        <>
          <section aria-labelledby="org-routes-title">
            <h2 id="org-routes-title" className="mb-3 text-sm font-semibold text-zinc-900">
              {org.name}&apos;s routes
            </h2>
            {own.length === 0 ? (
              <RoutesEmptyState orgSlug={org.slug} action={newButton} />
            ) : (
              <OrgRoutesTable
                orgSlug={org.slug}
                routes={own}
                canWrite={canWrite}
                onTry={tryRoute}
                onEdit={(route) => setEditor({ editing: route })}
                onDelete={setDeleting}
              />
            )}
          </section>
          {instance.length > 0 ? (
            <section aria-labelledby="instance-routes-title" className="mt-8">
              <h2 id="instance-routes-title" className="text-sm font-semibold text-zinc-900">
                Instance routes
              </h2>
              <p className="mt-0.5 mb-3 text-sm text-zinc-600">
                From this server&apos;s config file, for every organization; read-only here. A route
                of yours with the same name replaces one for this organization.
              </p>
              <InstanceRoutesTable routes={instance} canWrite={canWrite} onTry={tryRoute} />
            </section>
          ) : null}
        </>
      )}

      {list.data && (own.length > 0 || served.length > 0) ? (
        <div className="mt-8 grid items-start gap-6 lg:grid-cols-2">
          <TryRoutePanel
            orgSlug={org.slug}
            routeNames={served}
            selected={tryName}
            onSelect={setTryName}
            canTry={canWrite}
          />
          <TargetHealth orgSlug={org.slug} />
        </div>
      ) : null}

      {list.data ? (
        <RouteEditorDialog
          orgSlug={org.slug}
          open={editor !== null}
          editing={editor?.editing ?? null}
          models={list.data.models}
          onClose={() => setEditor(null)}
          onSaved={(result) => {
            setSaved(result);
            setTryName(result.name);
            toast.success(
              editor?.editing ? `Saved route ${result.name}.` : `Created route ${result.name}.`,
            );
          }}
        />
      ) : null}
      <DeleteRouteDialog orgSlug={org.slug} route={deleting} onClose={() => setDeleting(null)} />
    </>
  );
}
