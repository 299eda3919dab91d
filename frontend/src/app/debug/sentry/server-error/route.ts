import { debugRoutesEnabled } from "@/lib/env";

// A route handler that fails (e2e/sentry.spec.ts): onRequestError -> the server's SDK. Only with
// PAYTUNGAN_DEBUG_ROUTES=1; a 404 otherwise.
export async function GET(request: Request): Promise<Response> {
  if (!debugRoutesEnabled(process.env)) return new Response("Not found", { status: 404 });
  const email = new URL(request.url).searchParams.get("email") ?? "nobody@example.com";
  throw new Error(`Debug route handler error for ${email} token=route-token-secret`);
}
