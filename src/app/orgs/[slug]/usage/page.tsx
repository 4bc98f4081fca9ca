import type { Metadata } from "next";
import { Suspense } from "react";
import { LoadingBlock } from "~/components/spinner";
import { UsageView } from "~/features/usage/components/usage-view";

export const metadata: Metadata = { title: "Usage" };

export default function UsagePage() {
  return (
    <Suspense fallback={<LoadingBlock label="Loading usage…" />}>
      <UsageView />
    </Suspense>
  );
}
