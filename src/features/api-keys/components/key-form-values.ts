/** Turning the create-key form's fields into the `apiKeys.create` input. */

/** Model names separated by commas or new lines; blanks dropped, duplicates merged. */
export function parseModelList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\n,]/)
        .map((m) => m.trim())
        .filter(Boolean),
    ),
  ];
}

/** Metadata rows to a record; returns an error message for blank or duplicate keys. */
export function metadataFromRows(
  rows: { key: string; value: string }[],
): { ok: true; metadata: Record<string, string> } | { ok: false; error: string } {
  const metadata: Record<string, string> = {};
  for (const row of rows) {
    const key = row.key.trim();
    if (!key && !row.value.trim()) continue;
    if (!key) return { ok: false, error: "Every metadata value needs a key." };
    if (key in metadata) return { ok: false, error: `Metadata key "${key}" is used twice.` };
    metadata[key] = row.value;
  }
  return { ok: true, metadata };
}

/** A `<input type="date">` value as an expiry: the key stops working at the end of that day, local time. */
export function expiryFromDateInput(value: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  return new Date(`${value}T23:59:59`);
}
