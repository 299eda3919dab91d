import { expect, test, type APIRequestContext } from "@playwright/test";

import { Api, PASSWORD } from "./helpers";

// Error reporting end to end (docs/operations.md, "Frontend Sentry"): `make e2e` serves the app
// with NEXT_PUBLIC_SENTRY_DSN pointing at a local stand-in for Sentry's ingestion
// (scripts/sentry-standin.mjs, which records every envelope) and PAYTUNGAN_DEBUG_ROUTES=1 (the
// /debug/sentry page and route fail on purpose). The page carries an e-mail, a password, tokens
// and cookies; the envelopes that arrive must carry environment and release and none of them.
const SENTRY = process.env.E2E_SENTRY_URL;
const ENVIRONMENT = process.env.E2E_SENTRY_ENVIRONMENT ?? "e2e";
const RELEASE = process.env.E2E_SENTRY_RELEASE;
test.skip(!SENTRY || !RELEASE, "needs the Sentry stand-in that make e2e starts (E2E_SENTRY_URL, E2E_SENTRY_RELEASE)");

interface Item {
  header: { type: string };
  payload: SentryEvent;
}
interface SentryEvent {
  environment?: string;
  release?: string;
  request?: { url?: string; headers?: Record<string, string>; cookies?: unknown };
  exception?: { values: { type: string; value: string; mechanism?: { type: string } }[] };
  breadcrumbs?: { category?: string; message?: string; data?: Record<string, unknown> }[];
  user?: Record<string, unknown>;
  sdk?: { name: string; settings?: { infer_ip?: string } };
}
interface Envelope {
  header: { trace?: { environment?: string; release?: string } };
  items: Item[];
  raw: string;
}

async function envelopes(request: APIRequestContext): Promise<Envelope[]> {
  return (await (await request.get(`${SENTRY}/__envelopes`)).json()) as Envelope[];
}

/** The first error event whose exception message contains `marker`, once it has arrived. */
async function errorEvent(request: APIRequestContext, marker: string): Promise<{ envelope: Envelope; event: SentryEvent }> {
  let found: { envelope: Envelope; event: SentryEvent } | undefined;
  await expect
    .poll(
      async () => {
        for (const envelope of await envelopes(request)) {
          for (const item of envelope.items) {
            if (item.header.type === "event" && item.payload.exception?.values.some((v) => v.value.includes(marker))) {
              found = { envelope, event: item.payload };
              return true;
            }
          }
        }
        return false;
      },
      { message: `an event with "${marker}" reaches the Sentry stand-in`, timeout: 20_000 },
    )
    .toBe(true);
  return found!;
}

function expectClean(raw: string, secrets: string[]): void {
  for (const secret of secrets) expect(raw, `the envelope leaks ${JSON.stringify(secret)}`).not.toContain(secret);
}

test.beforeEach(async ({ request }) => {
  await request.delete(`${SENTRY}/__envelopes`);
});

test("browser errors reach Sentry scrubbed, with environment and release", async ({ page, context }) => {
  const api = Api.for(context);
  const me = await api.register("Sentry");
  const session = (await context.cookies()).find((c) => c.name === "sessionid")?.value;
  expect(session, "logged in").toBeTruthy();
  const csrf = ((await (await context.request.get("/api/auth/csrf")).json()) as { csrf_token: string }).csrf_token;

  // The page has an e-mail and a token in its URL, a readable cookie, and logs secrets.
  await page.goto("/debug/sentry?email=ani.query@example.com&token=query-token-secret");
  await page.evaluate(() => {
    document.cookie = "promo_token=cookie-secret-value; path=/";
  });
  await expect.poll(() => page.evaluate(() => window.__paytunganSentry?.state), { message: "the SDK loads once the page is idle" }).toBe("ready");
  await page.evaluate(
    async ({ email, password }) => {
      console.log(`signed in as ${email} with password=${password}`);
      console.warn("profile", { email: "ani.console@example.com", phone: "0812" });
      await fetch("/api/invites/invite-code-secret").catch(() => null);
    },
    { email: me.email, password: PASSWORD },
  );

  await page.getByRole("button", { name: "Throw in a click handler" }).click();
  const click = await errorEvent(page.request, "Debug click error");
  const secrets = [
    me.email,
    me.email.replace("@", "%40"),
    PASSWORD,
    encodeURIComponent(PASSWORD),
    session!,
    csrf,
    "ani.query@example.com",
    "ani.query%40example.com",
    "query-token-secret",
    "cookie-secret-value",
    "ani.console@example.com",
    "invite-code-secret",
    "ayu.debug@example.com",
    "hunter2-secret",
  ];
  expectClean(click.envelope.raw, secrets);
  expect(click.event).toMatchObject({ environment: ENVIRONMENT, release: RELEASE, sdk: { name: "sentry.javascript.nextjs" } });
  expect(click.envelope.header.trace).toMatchObject({ environment: ENVIRONMENT, release: RELEASE });
  expect(click.event.exception!.values[0]!.value).toBe("Debug click error for [email] password=[Filtered]");
  expect(click.event.request?.url).toContain("/debug/sentry?email=[Filtered]&token=[Filtered]");
  expect(click.event.request).not.toHaveProperty("cookies");
  expect(JSON.stringify(click.event.request?.headers ?? {})).not.toMatch(/cookie/i);
  // No user data, and Sentry is told not to fill in the IP address it sees.
  expect(click.event.user ?? {}).toEqual({});
  expect(click.event.sdk?.settings?.infer_ip).toBe("never");
  // The breadcrumbs arrived, scrubbed rather than dropped.
  const crumbs = click.event.breadcrumbs ?? [];
  expect(crumbs.find((c) => c.category === "console" && c.message?.startsWith("signed in as"))?.message).toBe(
    "signed in as [email] with password=[Filtered]",
  );
  expect(crumbs.some((c) => c.category === "fetch" && String(c.data?.url).includes("/api/invites/[Filtered]"))).toBe(true);

  await page.getByRole("button", { name: "Reject a promise" }).click();
  const rejection = await errorEvent(page.request, "Debug rejection");
  expectClean(rejection.envelope.raw, [...secrets, "rejection-bearer-secret"]);
  expect(rejection.event).toMatchObject({ environment: ENVIRONMENT, release: RELEASE });

  // A render crash replaces the root layout with src/app/global-error.tsx, which reports it.
  await page.getByRole("button", { name: "Crash while rendering" }).click();
  await expect(page.getByRole("heading", { name: "Terjadi kesalahan" })).toBeVisible();
  const render = await errorEvent(page.request, "Debug render error");
  expectClean(render.envelope.raw, [...secrets, "render-token-secret"]);
  expect(render.event).toMatchObject({ environment: ENVIRONMENT, release: RELEASE });
});

test("an error before the SDK has loaded is reported once it has", async ({ page }) => {
  await page.goto("/debug/sentry?early=1&email=early.query@example.com");
  const early = await errorEvent(page.request, "Debug early error");
  expectClean(early.envelope.raw, ["early.query@example.com", "ayu.debug@example.com", "early-secret"]);
  expect(early.event).toMatchObject({ environment: ENVIRONMENT, release: RELEASE });
  expect(early.event.exception!.values[0]!.value).toBe("Debug early error for [email] password=[Filtered]");
  // Remembered by src/lib/sentry-loader.ts and handed over, not seen by the SDK itself.
  expect(early.event.exception!.values[0]!.mechanism?.type).toBe("auto.paytungan.loader");
});

test("server errors (route handler, server rendering) reach Sentry scrubbed", async ({ request }) => {
  const headers = {
    Cookie: "sessionid=server-session-secret; csrftoken=server-csrf-secret",
    Authorization: "Bearer server-bearer-secret",
    "X-CSRFToken": "server-csrf-header-secret",
  };
  const route = await request.get("/debug/sentry/server-error?email=route.query@example.com&token=route-query-secret", { headers });
  expect(route.status()).toBe(500);
  const fromRoute = await errorEvent(request, "Debug route handler error");
  const secrets = [
    "server-session-secret",
    "server-csrf-secret",
    "server-bearer-secret",
    "server-csrf-header-secret",
    "route.query@example.com",
    "route.query%40example.com",
    "route-query-secret",
    "route-token-secret",
  ];
  expectClean(fromRoute.envelope.raw, secrets);
  expect(fromRoute.event).toMatchObject({ environment: ENVIRONMENT, release: RELEASE, sdk: { name: "sentry.javascript.nextjs" } });
  expect(fromRoute.envelope.header.trace).toMatchObject({ environment: ENVIRONMENT, release: RELEASE });
  expect(fromRoute.event.request).not.toHaveProperty("cookies");
  expect(fromRoute.event.user ?? {}).toEqual({});
  // The client's address stays out (dataCollection's header denylist).
  expect(fromRoute.event.request?.headers?.["x-forwarded-for"] ?? "[Filtered]").toBe("[Filtered]");

  const render = await request.get("/debug/sentry?crash=server&email=render.query@example.com", { headers });
  expect(render.status()).toBe(500);
  const fromRender = await errorEvent(request, "Debug server render error");
  expectClean(fromRender.envelope.raw, [...secrets, "render.query@example.com", "ayu.debug@example.com", "render-secret"]);
  expect(fromRender.event).toMatchObject({ environment: ENVIRONMENT, release: RELEASE });
});
