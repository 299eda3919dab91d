"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useEffect, useState, type ReactNode } from "react";

import { isApiError } from "@/lib/api/errors";
import type { Locale } from "@/lib/i18n";
import { I18nProvider } from "@/lib/i18n-react";

import { ToastProvider } from "./toast";

function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        refetchOnWindowFocus: true,
        // Retry what may pass later: throttling (after Retry-After) and network blips. A 4xx
        // won't change by asking again.
        retry: (count, error) => {
          if (!isApiError(error)) return count < 1;
          if (error.status === 429) return count < 2;
          if (error.status === 0 || error.status >= 500) return count < 2;
          return false;
        },
        retryDelay: (attempt, error) => {
          if (isApiError(error) && error.status === 429 && error.retryAfter != null) {
            return Math.min(error.retryAfter, 30) * 1000;
          }
          return Math.min(1000 * 2 ** attempt, 8000);
        },
      },
      mutations: { retry: false },
    },
  });
}

export function Providers({ locale, children }: { locale: Locale; children: ReactNode }) {
  const [client] = useState(makeQueryClient);
  useEffect(() => {
    // The offline shell (public/sw.js); not in development, where it would fight hot reload.
    if (process.env.NODE_ENV === "production" && "serviceWorker" in navigator) {
      navigator.serviceWorker.register("/sw.js").catch(() => undefined);
    }
  }, []);
  return (
    <QueryClientProvider client={client}>
      <I18nProvider initialLocale={locale}>
        <ToastProvider>{children}</ToastProvider>
      </I18nProvider>
    </QueryClientProvider>
  );
}
