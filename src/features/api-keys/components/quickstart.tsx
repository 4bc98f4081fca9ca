"use client";

import { useId, useRef, useState, type KeyboardEvent } from "react";
import { cx } from "~/components/class-names";
import { CopyButton } from "~/components/copy-button";
import { CodeBlock } from "./code-block";

const PLACEHOLDER_KEY = "sy-your-api-key";
const EXAMPLE_MODEL = "gpt-4o-mini";

function snippets(baseUrl: string) {
  return [
    {
      id: "curl",
      label: "curl",
      code: `curl ${baseUrl}/chat/completions \\
  -H "Authorization: Bearer ${PLACEHOLDER_KEY}" \\
  -H "Content-Type: application/json" \\
  -d '{
    "model": "${EXAMPLE_MODEL}",
    "messages": [{ "role": "user", "content": "Say hello to Switchyard" }]
  }'`,
    },
    {
      id: "node",
      label: "Node.js (openai)",
      code: `// npm install openai
import OpenAI from "openai";

const client = new OpenAI({
  baseURL: "${baseUrl}",
  apiKey: process.env.SWITCHYARD_API_KEY, // ${PLACEHOLDER_KEY}
});

const completion = await client.chat.completions.create({
  model: "${EXAMPLE_MODEL}",
  messages: [{ role: "user", content: "Say hello to Switchyard" }],
});
console.log(completion.choices[0].message.content);`,
    },
  ];
}

/** Copy-paste snippets pointing an OpenAI client at this server. */
export function Quickstart({ baseUrl }: { baseUrl: string }) {
  const tabs = snippets(baseUrl);
  const [active, setActive] = useState(tabs[0]!.id);
  const baseId = useId();
  const tabRefs = useRef<(HTMLButtonElement | null)[]>([]);

  const onKeyDown = (event: KeyboardEvent, index: number) => {
    const delta = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    if (!delta) return;
    event.preventDefault();
    const next = (index + delta + tabs.length) % tabs.length;
    setActive(tabs[next]!.id);
    tabRefs.current[next]?.focus();
  };

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-2 rounded-md border border-zinc-200 bg-zinc-50 px-3 py-2 text-sm">
        <span className="text-zinc-600">Base URL</span>
        <code className="min-w-0 flex-1 truncate font-medium text-zinc-900" data-testid="base-url">
          {baseUrl}
        </code>
        <CopyButton value={baseUrl} />
      </div>
      <div>
        <div role="tablist" aria-label="Quickstart language" className="mb-3 flex gap-1">
          {tabs.map((tab, i) => (
            <button
              key={tab.id}
              ref={(el) => {
                tabRefs.current[i] = el;
              }}
              type="button"
              role="tab"
              id={`${baseId}-tab-${tab.id}`}
              aria-selected={active === tab.id}
              aria-controls={`${baseId}-panel-${tab.id}`}
              tabIndex={active === tab.id ? 0 : -1}
              onClick={() => setActive(tab.id)}
              onKeyDown={(e) => onKeyDown(e, i)}
              className={cx(
                "rounded-md px-3 py-1.5 text-sm font-medium",
                active === tab.id
                  ? "bg-zinc-900 text-white"
                  : "text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900",
              )}
            >
              {tab.label}
            </button>
          ))}
        </div>
        {tabs.map((tab) => (
          <div
            key={tab.id}
            role="tabpanel"
            id={`${baseId}-panel-${tab.id}`}
            aria-labelledby={`${baseId}-tab-${tab.id}`}
            hidden={active !== tab.id}
          >
            <CodeBlock code={tab.code} label={tab.label} />
          </div>
        ))}
      </div>
    </div>
  );
}
