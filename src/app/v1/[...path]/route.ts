import { getGateway } from "~/server/gateway";

// The gateway core mounted in Next.js for Vercel / `next start`. Under the custom server /v1 is
// answered before Next.js sees it (unless SWITCHYARD_API_VIA_NEXT=1).
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const handle = async (request: Request): Promise<Response> => (await getGateway()).fetch(request);

export const GET = handle;
export const POST = handle;
export const PUT = handle;
export const PATCH = handle;
export const DELETE = handle;
export const OPTIONS = handle;
