import type { Metadata } from "next";
import { Suspense } from "react";
import { LoadingBlock } from "~/components/spinner";
import { LogsView } from "~/features/logs/components/logs-view";

export const metadata: Metadata = { title: "Logs" };

export default function LogsPage() {
  return (
    <Suspense fallback={<LoadingBlock label="Loading request logs…" />}>
      <LogsView />
    </Suspense>
  );
}
