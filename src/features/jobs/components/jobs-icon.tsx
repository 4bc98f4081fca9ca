import type { SVGProps } from "react";

/** Background jobs: a clock with a circular arrow, in the 24px stroke style of ~/components/icons. */
export function JobsIcon({ className = "size-4", ...props }: SVGProps<SVGSVGElement>) {
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
      <path d="M21 12a9 9 0 1 1-3-6.7" />
      <path d="M21 3v5h-5" />
      <path d="M12 7v5l3 2" />
    </svg>
  );
}
