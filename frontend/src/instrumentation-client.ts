// Runs in the browser before hydration (Next's instrumentation-client convention). Sentry itself
// loads later, when the page is idle: src/lib/sentry-loader.ts.
import { installSentryLoader } from "@/lib/sentry-loader";

try {
  installSentryLoader();
} catch {
  // Monitoring must never break the app.
}
