import { Badge, type BadgeTone } from "~/components/badge";

const TONES: Record<string, BadgeTone> = {
  owner: "brand",
  admin: "info",
  developer: "neutral",
  viewer: "neutral",
};

export function RoleBadge({ role }: { role: string }) {
  return (
    <Badge tone={TONES[role] ?? "neutral"} className="capitalize">
      {role}
    </Badge>
  );
}
