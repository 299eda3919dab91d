/**
 * Loads the Sentry browser SDK without weighing on the first load (docs/benchmarks.md budget):
 * src/instrumentation-client.ts calls `installSentryLoader()` before hydration; it only listens
 * for errors and remembers them. 1.5 s after the page has loaded, once the browser is idle, it
 * reads the settings the root layout rendered (present only when NEXT_PUBLIC_SENTRY_DSN is set)
 * and then imports the SDK's chunk (src/lib/sentry-browser.ts), which reports what was
 * remembered. Without a DSN nothing more is downloaded.
 *
 * The state lives on `window` (one per page, whichever chunk asks), also for the e2e test.
 */

export const SENTRY_CONFIG_ID = "paytungan-sentry";
/** The performance mark set when the SDK's chunk is requested (make frontend-bench counts it apart). */
export const SENTRY_LOAD_MARK = "paytungan:sentry-load";
const MAX_PENDING = 10;
const START_DELAY_MS = 1500;

export type SentryLoaderState = "waiting" | "loading" | "ready" | "off" | "failed";

interface SentryLoader {
  state: SentryLoaderState;
  config: string | null;
  pending: unknown[];
  capture: ((error: unknown) => void) | null;
}

declare global {
  interface Window {
    __paytunganSentry?: SentryLoader;
  }
}

function loader(): SentryLoader | null {
  return typeof window === "undefined" ? null : (window.__paytunganSentry ??= { state: "waiting", config: null, pending: [], capture: null });
}

function remember(error: unknown): void {
  const l = loader();
  if (l && (l.state === "waiting" || l.state === "loading") && l.pending.length < MAX_PENDING) l.pending.push(error);
}

function onError(event: ErrorEvent): void {
  remember(event.error ?? event.message);
}

function onRejection(event: PromiseRejectionEvent): void {
  remember(event.reason);
}

function readConfig(l: SentryLoader): void {
  l.config ??= document.getElementById(SENTRY_CONFIG_ID)?.textContent ?? null;
}

function stopListening(): void {
  window.removeEventListener("error", onError);
  window.removeEventListener("unhandledrejection", onRejection);
}

function start(): void {
  const l = loader();
  if (!l || l.state !== "waiting") return;
  readConfig(l);
  if (!l.config) {
    l.state = "off";
    l.pending = [];
    stopListening();
    return;
  }
  l.state = "loading";
  performance.mark?.(SENTRY_LOAD_MARK);
  import("./sentry-browser")
    .then(({ startBrowserSentry }) => {
      const capture = startBrowserSentry(l.config);
      // The SDK has its own global handlers now.
      stopListening();
      if (!capture) throw new Error("Sentry settings unreadable");
      l.capture = capture;
      l.state = "ready";
      for (const error of l.pending.splice(0)) capture(error);
    })
    .catch(() => {
      // Monitoring must never break the app: no SDK, no reports.
      l.state = "failed";
      l.pending = [];
      stopListening();
    });
}

export function installSentryLoader(): void {
  const l = loader();
  if (!l || l.state !== "waiting") return;
  window.addEventListener("error", onError);
  window.addEventListener("unhandledrejection", onRejection);
  // Read now too: a crash that replaces the root layout (global-error) also removes the settings.
  readConfig(l);
  // A moment after the load, when the browser is idle: the SDK's evaluation then never competes
  // with hydration or the first taps. Errors meanwhile are remembered, not lost.
  const later = () =>
    setTimeout(() => {
      if (typeof window.requestIdleCallback === "function") window.requestIdleCallback(start, { timeout: 3000 });
      else start();
    }, START_DELAY_MS);
  if (document.readyState === "complete") later();
  else window.addEventListener("load", later, { once: true });
}

/** Report an error React caught (src/app/global-error.tsx): now, or once the SDK is loaded. */
export function reportClientError(error: unknown): void {
  const l = loader();
  if (l?.capture) l.capture(error);
  else remember(error);
}
