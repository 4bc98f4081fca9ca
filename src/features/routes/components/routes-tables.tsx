"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Badge } from "~/components/badge";
import { Button } from "~/components/button";
import { Table, TBody, TD, TH, THead, TR } from "~/components/table";
import { useToast } from "~/components/toast";
import type { RouteDefinition } from "~/gateway/routing/route-schema";
import { errorMessage } from "~/trpc/error-message";
import { useTRPC } from "~/trpc/react";
import type { InstanceRouteView, RouteView } from "../server/route-view";

function TargetsSummary({ definition }: { definition: RouteDefinition }) {
  const weighted = definition.strategy === "weighted";
  return (
    <ul className="flex max-w-xs flex-wrap gap-1">
      {definition.targets.map((t, i) => (
        <li
          key={i}
          className="inline-flex max-w-full items-center gap-1 rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs text-zinc-700"
          title={t.model}
        >
          <span className="truncate">{t.model}</span>
          {weighted ? <span className="text-zinc-500">×{t.weight ?? 1}</span> : null}
        </li>
      ))}
    </ul>
  );
}

function NameCell({ definition }: { definition: RouteDefinition }) {
  return (
    <TD wrap className="min-w-40">
      <div className="font-mono font-medium text-zinc-900">{definition.name}</div>
      {definition.description ? (
        <div className="mt-0.5 max-w-64 text-xs text-zinc-500">{definition.description}</div>
      ) : null}
    </TD>
  );
}

function EnabledToggle({ orgSlug, route }: { orgSlug: string; route: RouteView }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const toggle = useMutation(
    trpc.routes.setEnabled.mutationOptions({
      onSuccess: (saved) =>
        toast.success(`${saved.enabled ? "Enabled" : "Disabled"} route ${saved.name}.`),
      onError: (err) => toast.error(errorMessage(err)),
      onSettled: () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.routes.list.queryKey({ orgSlug }) }),
          queryClient.invalidateQueries({ queryKey: trpc.routes.breakers.queryKey({ orgSlug }) }),
        ]),
    }),
  );
  return (
    <Button
      variant="ghost"
      size="sm"
      loading={toggle.isPending}
      aria-label={`${route.enabled ? "Disable" : "Enable"} ${route.name}`}
      onClick={() =>
        toggle.mutate({ orgSlug, id: route.id, enabled: !route.enabled, version: route.version })
      }
    >
      {route.enabled ? "Disable" : "Enable"}
    </Button>
  );
}

/** The org's own routes: editable by owners and admins. */
export function OrgRoutesTable({
  orgSlug,
  routes,
  canWrite,
  onTry,
  onEdit,
  onDelete,
}: {
  orgSlug: string;
  routes: RouteView[];
  canWrite: boolean;
  onTry: (name: string) => void;
  onEdit: (route: RouteView) => void;
  onDelete: (route: RouteView) => void;
}) {
  return (
    <Table label="Organization routes">
      <THead>
        <TR>
          <TH>Name</TH>
          <TH>Strategy</TH>
          <TH>Targets</TH>
          <TH>Status</TH>
          <TH>Version</TH>
          {canWrite ? (
            <TH>
              <span className="sr-only">Actions</span>
            </TH>
          ) : null}
        </TR>
      </THead>
      <TBody>
        {routes.map((r) => (
          <TR key={r.id} data-testid="route-row" data-route-name={r.name}>
            <NameCell definition={r.definition} />
            <TD>
              <Badge tone="brand">{r.definition.strategy}</Badge>
            </TD>
            <TD wrap>
              <TargetsSummary definition={r.definition} />
            </TD>
            <TD>
              {r.enabled ? (
                <Badge tone="success">Enabled</Badge>
              ) : (
                <Badge tone="neutral">Disabled</Badge>
              )}
            </TD>
            <TD>
              <span
                className="text-zinc-700"
                title={`Created by ${r.createdBy}; updated ${r.updatedAt.toISOString().slice(0, 16).replace("T", " ")} UTC`}
              >
                v{r.version}
              </span>
            </TD>
            {canWrite ? (
              <TD className="text-right">
                <div className="flex justify-end gap-0.5">
                  {r.enabled ? (
                    <Button
                      variant="ghost"
                      size="sm"
                      aria-label={`Try ${r.name}`}
                      onClick={() => onTry(r.name)}
                    >
                      Try
                    </Button>
                  ) : null}
                  <Button
                    variant="ghost"
                    size="sm"
                    aria-label={`Edit ${r.name}`}
                    onClick={() => onEdit(r)}
                  >
                    Edit
                  </Button>
                  <EnabledToggle orgSlug={orgSlug} route={r} />
                  <Button
                    variant="ghost-danger"
                    size="sm"
                    aria-label={`Delete ${r.name}`}
                    onClick={() => onDelete(r)}
                  >
                    Delete
                  </Button>
                </div>
              </TD>
            ) : null}
          </TR>
        ))}
      </TBody>
    </Table>
  );
}

/** Routes of the server's config file: every org has them; read-only in the console. */
export function InstanceRoutesTable({
  routes,
  canWrite,
  onTry,
}: {
  routes: InstanceRouteView[];
  canWrite: boolean;
  onTry: (name: string) => void;
}) {
  return (
    <Table label="Instance routes">
      <THead>
        <TR>
          <TH>Name</TH>
          <TH>Strategy</TH>
          <TH>Targets</TH>
          <TH>Status</TH>
          {canWrite ? (
            <TH>
              <span className="sr-only">Actions</span>
            </TH>
          ) : null}
        </TR>
      </THead>
      <TBody>
        {routes.map((r) => (
          <TR key={r.name} data-testid="config-route-row" data-route-name={r.name}>
            <NameCell definition={r.definition} />
            <TD>
              <Badge tone="brand">{r.definition.strategy}</Badge>
            </TD>
            <TD wrap>
              <TargetsSummary definition={r.definition} />
            </TD>
            <TD>
              {r.overridden ? (
                <Badge tone="neutral">Replaced by yours</Badge>
              ) : (
                <Badge tone="success">Enabled</Badge>
              )}
            </TD>
            {canWrite ? (
              <TD className="text-right">
                {!r.overridden ? (
                  <Button
                    variant="ghost"
                    size="sm"
                    aria-label={`Try ${r.name}`}
                    onClick={() => onTry(r.name)}
                  >
                    Try
                  </Button>
                ) : null}
              </TD>
            ) : null}
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
