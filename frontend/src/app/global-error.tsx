"use client";

import { useEffect } from "react";

import { reportClientError } from "@/lib/sentry-loader";

// A crash that no nearer boundary caught replaces the root layout with this page; it is the one
// place React hands such errors over, so it reports them to Sentry (when enabled). Plain markup,
// both languages: the layout (and with it the locale and the styles) is gone.
export default function GlobalError({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    reportClientError(error);
  }, [error]);
  return (
    <html lang="id">
      <body style={{ fontFamily: "system-ui, sans-serif", margin: 0, padding: "3rem 1rem", textAlign: "center", color: "#0f172a" }}>
        <title>Paytungan</title>
        <h1 style={{ fontSize: "1.5rem" }}>Terjadi kesalahan</h1>
        <p lang="en" style={{ color: "#334155" }}>
          Something went wrong.
        </p>
        <button
          type="button"
          onClick={() => retry()}
          style={{ marginTop: "1.5rem", padding: "0.6rem 1.2rem", borderRadius: "0.5rem", border: 0, background: "#0f766e", color: "#fff", fontSize: "1rem" }}
        >
          Coba lagi · Try again
        </button>
      </body>
    </html>
  );
}
