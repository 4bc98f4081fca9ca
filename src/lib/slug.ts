/** Lower-case URL slug from a display name: `Acme Inc.` → `acme-inc`. */
export function slugify(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48)
    .replace(/-+$/g, "");
  return slug || "org";
}

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$/;

/** Slugs that would collide with console routes. */
export const RESERVED_SLUGS = new Set(["new", "api", "v1", "settings", "admin", "invite", "sign-in", "sign-up"]);
