import { expect, test } from "@playwright/test";

import { Api } from "./helpers";

// The frontend proxies /api to gunicorn over keep-alive connections that it never closes itself
// (Next's proxy agent has no idle timeout); gunicorn closes an idle one after its keep-alive.
// A request sent on a connection at the moment gunicorn closes it fails as "socket hang up" and
// the visitor gets a plain-text 500. Bounded: WRITERS writers for about SECONDS seconds, loopback.
const WRITERS = 16;
const SECONDS = Number(process.env.E2E_PROXY_LOAD_SECONDS ?? 20);
const MIN_ROUNDS = 4;

test(`${WRITERS} writers for ${SECONDS} s through the frontend's proxy: no 5xx`, async ({ playwright, baseURL }) => {
  test.setTimeout((2 * SECONDS + 60) * 1000);
  const request = await playwright.request.newContext({ baseURL });
  const api = new Api(request);
  await api.register("Load");
  const groups: { id: number; my_member_id: number }[] = [];
  for (let w = 0; w < WRITERS; w++) {
    groups.push(await api.call<{ id: number; my_member_id: number }>("POST", "/api/groups", { name: `Load ${w}`, currency: "IDR" }));
  }
  const csrf = ((await (await request.get("/api/auth/csrf")).json()) as { csrf_token: string }).csrf_token;
  // The writers use Node's fetch (undici), which, like a browser, honours the Keep-Alive timeout
  // Next announces for its own client connections: only the proxy's upstream hop is on trial.
  const cookie = (await request.storageState()).cookies.map((c) => `${c.name}=${c.value}`).join("; ");
  const statuses = new Map<number, number>();
  const failures: string[] = [];
  const deadline = Date.now() + SECONDS * 1000;
  let seq = 0;

  async function write(w: number) {
    const g = groups[w]!;
    const i = seq++;
    const res =
      i % 3 === 2
        ? await fetch(`${baseURL}/api/groups/${g.id}/bills`, { headers: { cookie } })
        : await fetch(`${baseURL}/api/groups/${g.id}/bills`, {
            method: "POST",
            headers: { cookie, "X-CSRFToken": csrf, "Content-Type": "application/json", Origin: baseURL! },
            body: JSON.stringify({
              title: `Bill ${i}`,
              total: String(1000 + i),
              payers: [{ member_id: g.my_member_id, amount: String(1000 + i) }],
              split: { mode: "equal", members: [{ member_id: g.my_member_id }] },
            }),
          });
    const body = await res.text();
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    if (res.status >= 500) failures.push(`${res.status} ${body.slice(0, 80)}`);
  }
  // Rounds: all writers at once (every pooled upstream connection busy), then all idle for a
  // pause that sweeps across 1.6-2.4 s, so the whole pool is reused right around the moment
  // gunicorn's old 2 s keep-alive closes it.
  // At least MIN_ROUNDS rounds even on a slow machine, never past twice the time asked.
  const hardStop = Date.now() + 2 * SECONDS * 1000;
  for (let round = 0; (round < MIN_ROUNDS || Date.now() < deadline) && Date.now() < hardStop; round++) {
    await Promise.all(Array.from({ length: WRITERS }, async (_, w) => {
      await write(w);
      await write(w);
    }));
    await new Promise((r) => setTimeout(r, 1600 + ((round * 137) % 800)));
  }
  const total = [...statuses.values()].reduce((a, b) => a + b, 0);
  console.log(`proxy load: ${total} requests, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
  expect(total).toBeGreaterThanOrEqual(WRITERS * 2 * 2);
  expect(failures).toEqual([]);
  await request.dispose();
});
