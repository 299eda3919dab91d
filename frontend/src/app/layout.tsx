import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";

import { Footer } from "@/components/footer";
import { Header } from "@/components/header";
import { Providers } from "@/components/providers";
import { translate } from "@/lib/i18n";
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
  return (
    <html lang={locale}>
      <body className="flex min-h-dvh flex-col">
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
