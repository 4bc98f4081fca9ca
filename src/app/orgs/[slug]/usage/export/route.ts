import { usageCsvResponse } from "~/features/usage/server/usage-csv-response";
import { getDb } from "~/server/db";
import { getSessionUser } from "~/trpc/server";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The usage breakdown as a CSV download (console session, `usage:read`). */
export async function GET(req: Request, { params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const [user, db] = await Promise.all([getSessionUser(), getDb()]);
  return usageCsvResponse({ db, user, slug, query: new URL(req.url).searchParams });
}
