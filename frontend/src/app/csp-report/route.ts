/**
 * Where browsers report Content-Security-Policy violations (report-uri in src/lib/csp.ts): one
 * log line each, bounded, so a violation in production shows in the logs and `make e2e` fails
 * on any (frontend/scripts/e2e.sh reads the server's log).
 */
const MAX_BYTES = 8 * 1024;

export async function POST(request: Request): Promise<Response> {
  const body = (await request.text()).slice(0, MAX_BYTES);
  let report: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(body) as { "csp-report"?: Record<string, unknown> };
    report = parsed["csp-report"] ?? {};
  } catch {
    /* not JSON: logged as unparsed below */
  }
  const pick = (k: string) => String(report[k] ?? "").slice(0, 300);
  console.warn(
    "csp-violation " +
      JSON.stringify({
        directive: pick("effective-directive") || pick("violated-directive"),
        blocked: pick("blocked-uri"),
        document: pick("document-uri").replace(/\?.*$/, ""),
        source: pick("source-file"),
        line: report["line-number"] ?? null,
        sample: pick("script-sample"),
      }),
  );
  return new Response(null, { status: 204 });
}
