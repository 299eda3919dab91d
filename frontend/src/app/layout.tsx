import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";

import { Footer } from "@/components/footer";
import { Header } from "@/components/header";
import { Providers } from "@/components/providers";
import { translate } from "@/lib/i18n";
import { sentryEnv } from "@/lib/sentry-config";
import { SENTRY_CONFIG_ID } from "@/lib/sentry-loader";
import { browserSentryConfigJson } from "@/lib/sentry-options";
import { serverLocale } from "@/lib/server-i18n";

import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Paytungan", template: "%s · Paytungan" },
  description: "Split bills with friends: itemized receipts, tax and service, settle up in the fewest transfers.",
};

export const viewport: Viewport = {
  width: "device-width",
  initialScale: 1,
  themeColor: "#0f766e",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = await serverLocale();
  // Sentry's browser settings, read from the server's environment on each render (so one build
  // serves any environment); only when NEXT_PUBLIC_SENTRY_DSN is set. src/lib/sentry-loader.ts.
  const sentry = sentryEnv();
  return (
    <html lang={locale}>
      <body className="flex min-h-dvh flex-col">
        {sentry && (
          <script id={SENTRY_CONFIG_ID} type="application/json" dangerouslySetInnerHTML={{ __html: browserSentryConfigJson(sentry) }} />
        )}
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
        >
          {translate(locale, "app.skipToContent")}
        </a>
        <Providers locale={locale}>
          <Header />
          <main id="main" className="mx-auto w-full max-w-5xl flex-1 px-4 py-5 sm:py-8">
            {children}
          </main>
          <Footer />
        </Providers>
      </body>
    </html>
  );
}
