import type { SVGProps } from "react";

/** Limits & budgets: a gauge, in the 24px stroke style of ~/components/icons. */
export function LimitsIcon({ className = "size-4", ...props }: SVGProps<SVGSVGElement>) {
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
      <path d="M4.9 19a9 9 0 1 1 14.2 0" />
      <path d="m12 13 4-5" />
      <circle cx="12" cy="14" r="1.5" />
    </svg>
  );
}
