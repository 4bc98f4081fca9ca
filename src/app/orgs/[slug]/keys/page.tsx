import type { Metadata } from "next";
import { ApiKeysView } from "~/features/api-keys/components/api-keys-view";
import { getPublicOrigin } from "~/trpc/server";

export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [params, origin] = await Promise.all([searchParams, getPublicOrigin()]);
  return <ApiKeysView baseUrl={`${origin}/v1`} openCreate={params.create === "1"} />;
}
