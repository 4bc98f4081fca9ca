"use client";

import { Alert } from "~/components/alert";
import { Button } from "~/components/button";
import { CopyButton } from "~/components/copy-button";
import { Dialog } from "~/components/dialog";
import { CodeBlock } from "./code-block";

/** Shows a new key's secret the one time it exists in plain text. */
export function ApiKeySecretDialog({
  created,
  baseUrl,
  onClose,
}: {
  created: { name: string; secret: string } | null;
  baseUrl: string;
  onClose: () => void;
}) {
  return (
    <Dialog
      open={created !== null}
      onClose={onClose}
      dismissible={false}
      size="lg"
      title={`API key “${created?.name ?? ""}” created`}
      testId="api-key-secret-dialog"
      footer={<Button onClick={onClose}>I have saved the key</Button>}
    >
      {created ? (
        <div className="space-y-4">
          <Alert tone="warning" title="Copy this key now">
            This is the only time the full key is shown. Store it in your secret manager; if you
            lose it, revoke it and create a new one.
          </Alert>
          <div className="space-y-1.5">
            <label htmlFor="new-api-key-secret" className="text-sm font-medium text-zinc-800">
              Secret key
            </label>
            <div className="flex gap-2">
              <input
                id="new-api-key-secret"
                data-testid="api-key-secret"
                readOnly
                value={created.secret}
                onFocus={(e) => e.currentTarget.select()}
                className="h-9 min-w-0 flex-1 rounded-md border border-zinc-300 bg-zinc-50 px-3 font-mono text-sm text-zinc-900"
              />
              <CopyButton value={created.secret} size="md" />
            </div>
          </div>
          <CodeBlock
            label="Try it"
            code={`curl ${baseUrl}/models \\\n  -H "Authorization: Bearer ${created.secret}"`}
          />
        </div>
      ) : null}
    </Dialog>
  );
}
