import type { SVGProps } from "react";

/** Request traffic: a pulse line (drawn like the shared icons in components/icons). */
export function LogsIcon({ className = "size-4", ...props }: SVGProps<SVGSVGElement>) {
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
      <path d="M3 12h4l3-8 4 16 3-8h4" />
    </svg>
  );
}
