/**
 * Deterministic prompt-like texts of a given size for benchmarks and fuzz seeds: prose, a code
 * snippet, numbers, dates, a URL and an address — the mix a real chat request carries — with no
 * secrets unless asked for.
 */

const PARAGRAPHS = [
  "Hi team, could you review the quarterly report before Friday? The numbers in section 3 look off: revenue grew 12.5% but the chart shows 9.8%. I think the spreadsheet uses the old exchange rate from 2023-11-30.",
  "Here is the function that fails in production. It retries three times and then gives up, but the timeout is 30 seconds so users wait far too long.\n\n```ts\nexport async function fetchWithRetry(url: string, attempts = 3): Promise<Response> {\n  for (let i = 0; i < attempts; i++) {\n    const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });\n    if (res.ok) return res;\n  }\n  throw new Error(`failed after ${attempts} attempts`);\n}\n```",
  "Summarise the following customer feedback in three bullet points and suggest one improvement for the onboarding flow. Keep the tone friendly and avoid jargon; the audience is the support team, not engineers.",
  "The meeting moved to Thursday at 14:30 in room B-204. Please bring the printed agenda (version 2.4.1) and the notes from last week. Order #A-99812 shipped on 3 March and should arrive within 5 business days.",
  "Translate this paragraph into German and French: Our new release improves search speed by 40 percent, adds dark mode, and fixes the crash reported on Android 14 devices when uploading photos larger than 20 MB.",
  "See https://docs.example.com/guides/setup?lang=en#install for the installation steps. The service listens on port 8080 and logs to /var/log/app/service.log with daily rotation; disk usage is about 1.2 GB per week.",
  "Write a short poem about autumn in the mountains, with four stanzas of four lines each. Mention the river, the first snow on the peaks, and the smell of wood smoke in the village at dusk.",
  "Can you explain the difference between a mutex and a semaphore, with an example in Go? I understand that both limit concurrent access, but I am not sure when to prefer one over the other in a worker pool.",
];

/** About `size` characters of realistic prompt text. */
export function samplePrompt(size: number): string {
  let out = "";
  let i = 0;
  while (out.length < size) {
    out += PARAGRAPHS[i % PARAGRAPHS.length] + "\n\n";
    i++;
  }
  return out.slice(0, size);
}
