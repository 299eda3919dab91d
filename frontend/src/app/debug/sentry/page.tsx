import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";

import { debugRoutesEnabled } from "@/lib/env";

import { SentryDebug } from "./sentry-debug";

// Errors on purpose, for the e2e test of error reporting (e2e/sentry.spec.ts). Served only with
// PAYTUNGAN_DEBUG_ROUTES=1 in the server's environment (make e2e sets it); a 404 otherwise.
export const metadata: Metadata = { title: "Sentry debug", robots: { index: false, follow: false } };

export default async function SentryDebugPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await connection();
  if (!debugRoutesEnabled(process.env)) notFound();
  const { crash, early } = await searchParams;
  if (crash === "server") {
    // Server rendering error -> onRequestError -> the server's SDK.
    throw new Error("Debug server render error for ayu.debug@example.com password=render-secret");
  }
  return <SentryDebug early={early === "1"} />;
}
