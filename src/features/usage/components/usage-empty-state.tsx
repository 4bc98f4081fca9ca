"use client";

import { useSyncExternalStore } from "react";
import { ButtonLink } from "~/components/button";
import { EmptyState } from "~/components/empty-state";
import { KeyIcon } from "~/components/icons";
import { CodeBlock } from "~/features/api-keys/components/code-block";

const noSubscription = () => () => {};

/** The org has never sent a request: what to do to see something here. */
export function UsageEmptyState({ slug }: { slug: string }) {
  // The browser's own address (the server does not know how it is reached).
  const origin = useSyncExternalStore(
    noSubscription,
    () => window.location.origin,
    () => "",
  );
  const snippet = `curl ${origin || "https://your-switchyard"}/v1/chat/completions \\
  -H "Authorization: Bearer sy-your-api-key" \\
  -H "Content-Type: application/json" \\
  -d '{
    "model": "gpt-4o-mini",
    "messages": [{ "role": "user", "content": "Hello" }]
  }'`;
  return (
    <div data-testid="usage-empty" className="space-y-4">
      <EmptyState
        icon={<KeyIcon className="size-5" />}
        title="No usage yet"
        description="Send your first request through Switchyard with one of this organization's API keys: spend, tokens and cache savings show up here within seconds."
        action={
          <ButtonLink href={`/orgs/${slug}/keys`} icon={<KeyIcon />}>
            Create an API key
          </ButtonLink>
        }
      />
      <div className="mx-auto max-w-2xl">
        <CodeBlock label="Your first request" code={snippet} />
      </div>
    </div>
  );
}
