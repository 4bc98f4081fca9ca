import type { Metadata } from "next";
import { LimitsView } from "~/features/limits/components/limits-view";

export const metadata: Metadata = { title: "Limits & budgets" };

export default function LimitsPage() {
  return <LimitsView />;
}
