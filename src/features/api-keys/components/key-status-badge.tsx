import { Badge } from "~/components/badge";

export type ApiKeyStatus = "active" | "revoked" | "expired";

const TONES = { active: "success", revoked: "danger", expired: "warning" } as const;
const LABELS = { active: "Active", revoked: "Revoked", expired: "Expired" } as const;

export function KeyStatusBadge({ status }: { status: ApiKeyStatus }) {
  return <Badge tone={TONES[status]}>{LABELS[status]}</Badge>;
}

/** How a key is listed: its prefix and last four characters, never the secret. */
export function maskedKey(prefix: string, last4: string): string {
  return `${prefix}…${last4}`;
}
