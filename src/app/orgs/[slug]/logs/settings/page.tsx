import type { Metadata } from "next";
import { Suspense } from "react";
import { LoadingBlock } from "~/components/spinner";
import { LoggingSettingsView } from "~/features/logs/components/logging-settings-view";

export const metadata: Metadata = { title: "Logging settings" };

export default function LoggingSettingsPage() {
  return (
    <Suspense fallback={<LoadingBlock />}>
      <LoggingSettingsView />
    </Suspense>
  );
}
