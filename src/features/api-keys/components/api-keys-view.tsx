"use client";

import { useQuery } from "@tanstack/react-query";
import { usePathname, useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "~/components/alert";
import { Badge } from "~/components/badge";
import { Button } from "~/components/button";
import { EmptyState } from "~/components/empty-state";
import { KeyIcon, PlusIcon } from "~/components/icons";
import { PageHeader } from "~/components/page-header";
import { LoadingBlock } from "~/components/spinner";
import { Table, TBody, TD, TH, THead, TR } from "~/components/table";
import { Time } from "~/components/time";
import { useOrg } from "~/features/shell/components/org-context";
import { errorMessage } from "~/trpc/error-message";
import { useTRPC } from "~/trpc/react";
import { ApiKeySecretDialog } from "./api-key-secret-dialog";
import { CreateApiKeyDialog } from "./create-api-key-dialog";
import { KeyStatusBadge, maskedKey } from "./key-status-badge";
import { RevokeApiKeyDialog } from "./revoke-api-key-dialog";

interface RevokeTarget {
  id: string;
  name: string;
  prefix: string;
  last4: string;
}

export function ApiKeysView({ baseUrl, openCreate }: { baseUrl: string; openCreate: boolean }) {
  const org = useOrg();
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const keys = useQuery(trpc.apiKeys.list.queryOptions({ orgSlug: org.slug }));
  const canCreate = org.can("keys:create");
  const canRevoke = org.can("keys:revoke");
  const [createOpen, setCreateOpen] = useState(openCreate && canCreate);
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);
  const [revoking, setRevoking] = useState<RevokeTarget | null>(null);

  const closeCreate = () => {
    setCreateOpen(false);
    // Drop `?create=1` so a reload does not reopen the dialog.
    if (openCreate) router.replace(pathname, { scroll: false });
  };

  const createButton = canCreate ? (
    <Button icon={<PlusIcon />} onClick={() => setCreateOpen(true)}>
      Create API key
    </Button>
  ) : null;

  return (
    <>
      <PageHeader
        title="API keys"
        description="Keys authenticate your apps to the gateway. Each request is attributed to its key."
        actions={createButton}
      />
      {!canCreate ? (
        <Alert tone="info" className="mb-4">
          Your role ({org.role}) can view keys but not create or revoke them.
        </Alert>
      ) : null}
      {keys.isPending ? (
        <LoadingBlock label="Loading API keys…" />
      ) : keys.isError ? (
        <Alert tone="danger">{errorMessage(keys.error)}</Alert>
      ) : keys.data.length === 0 ? (
        <EmptyState
          icon={<KeyIcon className="size-5" />}
          title="No API keys yet"
          description={
            canCreate
              ? "Create a key, then use it as the Bearer token in any OpenAI-compatible client pointed at this server."
              : "An admin or developer of this organization can create one."
          }
          action={createButton}
        />
      ) : (
        <Table label="API keys">
          <THead>
            <TR>
              <TH>Name</TH>
              <TH>Key</TH>
              <TH>Status</TH>
              <TH>Created by</TH>
              <TH>Created</TH>
              <TH>Last used</TH>
              <TH>Expires</TH>
              <TH>
                <span className="sr-only">Actions</span>
              </TH>
            </TR>
          </THead>
          <TBody>
            {keys.data.map((key) => (
              <TR key={key.id} data-testid="api-key-row" data-key-name={key.name}>
                <TD wrap className="max-w-64">
                  <div className="font-medium text-zinc-900">{key.name}</div>
                  {key.allowedModels?.length ||
                  key.allowedEndpoints ||
                  Object.keys(key.metadata).length ? (
                    <div className="mt-1 flex flex-wrap gap-1">
                      {key.allowedModels?.length ? (
                        <Badge tone="info">
                          {key.allowedModels.length === 1
                            ? key.allowedModels[0]
                            : `${key.allowedModels.length} models`}
                        </Badge>
                      ) : null}
                      {key.allowedEndpoints ? (
                        <Badge tone="warning">
                          {key.allowedEndpoints.length === 0
                            ? "no endpoints"
                            : `only ${key.allowedEndpoints.join(", ")}`}
                        </Badge>
                      ) : null}
                      {Object.entries(key.metadata).map(([k, v]) => (
                        <Badge key={k} className="font-mono">
                          {k}={v}
                        </Badge>
                      ))}
                    </div>
                  ) : null}
                </TD>
                <TD>
                  <code className="text-zinc-700">{maskedKey(key.prefix, key.last4)}</code>
                </TD>
                <TD>
                  <KeyStatusBadge status={key.status} />
                </TD>
                <TD className="max-w-48 truncate">{key.createdByLabel}</TD>
                <TD>
                  <Time value={key.createdAt} />
                </TD>
                <TD>
                  <Time value={key.lastUsedAt} empty="Never" />
                </TD>
                <TD>
                  <Time value={key.expiresAt} mode="date" empty="Never" />
                </TD>
                <TD className="text-right">
                  {canRevoke && key.status === "active" ? (
                    <Button
                      variant="ghost-danger"
                      size="sm"
                      aria-label={`Revoke ${key.name}`}
                      onClick={() => setRevoking(key)}
                    >
                      Revoke
                    </Button>
                  ) : key.revokedAt ? (
                    <span className="text-xs text-zinc-500">
                      Revoked <Time value={key.revokedAt} />
                    </span>
                  ) : null}
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}

      <CreateApiKeyDialog
        orgSlug={org.slug}
        open={createOpen}
        onClose={closeCreate}
        onCreated={(c) => {
          closeCreate();
          setCreated(c);
        }}
      />
      <ApiKeySecretDialog created={created} baseUrl={baseUrl} onClose={() => setCreated(null)} />
      <RevokeApiKeyDialog orgSlug={org.slug} apiKey={revoking} onClose={() => setRevoking(null)} />
    </>
  );
}
