import type { SVGProps } from "react";

/** Upstream servers: two stacked racks (drawn like the shared icons in components/icons). */
export function ProvidersIcon({ className = "size-4", ...props }: SVGProps<SVGSVGElement>) {
  return (
    <svg
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      className={className}
      {...props}
    >
      <rect x="3" y="3" width="18" height="7" rx="2" />
      <rect x="3" y="14" width="18" height="7" rx="2" />
      <path d="M7 6.5h.01" />
      <path d="M7 17.5h.01" />
      <path d="M11 6.5h6" />
      <path d="M11 17.5h6" />
    </svg>
  );
}
