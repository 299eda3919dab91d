import { closeSync, openSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

import { expect, type APIRequestContext, type BrowserContext, type Page } from "@playwright/test";

const require = createRequire(import.meta.url);

let seq = 0;
export function uniqueEmail(prefix: string): string {
  seq += 1;
  return `${prefix}-${Date.now().toString(36)}-${seq}-${Math.random().toString(36).slice(2, 6)}@e2e.paytungan.test`;
}

export const PASSWORD = "Sup3r-secret-passphrase!";

/** Sign up through the UI (Indonesian labels), landing on the home page. */
export async function signUpUi(page: Page, name: string, email = uniqueEmail(name.toLowerCase())): Promise<string> {
  await page.goto("/signup");
  await page.getByLabel("Nama").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Kata sandi").fill(PASSWORD);
  await page.getByRole("button", { name: "Daftar" }).click();
  await expect(page.getByRole("heading", { name: `Halo, ${name}!` })).toBeVisible();
  return email;
}

async function csrf(request: APIRequestContext): Promise<string> {
  const res = await request.get("/api/auth/csrf");
  expect(res.ok()).toBeTruthy();
  return ((await res.json()) as { csrf_token: string }).csrf_token;
}

/** Claim the next unused pool account (a claim is a file, so restarted workers never reuse one). */
function claimPoolAccount(): string | null {
  const dir = process.env.E2E_POOL_DIR;
  const size = Number(process.env.E2E_POOL_SIZE ?? 0);
  if (!dir || !size) return null;
  for (let i = 1; i <= size; i++) {
    try {
      closeSync(openSync(join(dir, `${i}.claimed`), "wx"));
      return `pool-${i}@e2e.paytungan.test`;
    } catch {
      /* taken */
    }
  }
  throw new Error(`all ${size} pool accounts are used: raise E2E_POOL_SIZE`);
}

/** A small API client sharing the browser context's cookies (for fast, exact setup). */
export class Api {
  private token: string | null = null;
  constructor(private readonly request: APIRequestContext) {}

  static for(context: BrowserContext): Api {
    return new Api(context.request);
  }

  async call<T = unknown>(method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE", path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    if (method !== "GET" && !this.token) this.token = await csrf(this.request);
    const res = await this.request.fetch(path, {
      method,
      data: body === undefined ? undefined : body,
      headers: { ...(method !== "GET" ? { "X-CSRFToken": this.token! } : {}), ...headers },
    });
    if (!res.ok()) throw new Error(`${method} ${path} -> ${res.status()}: ${await res.text()}`);
    return (res.status() === 204 ? null : await res.json()) as T;
  }

  /**
   * A fresh account for a test's setup, logged in in this context. Takes an unused account from
   * the pool `make e2e` creates (registration is throttled per IP, and every test browser is
   * 127.0.0.1), renamed to `name`; registers one when there is no pool.
   */
  async register(name: string, email = uniqueEmail(name.toLowerCase())): Promise<{ id: number; email: string }> {
    const pooled = claimPoolAccount();
    if (pooled) {
      await this.login(pooled);
      return this.call<{ id: number; email: string }>("PATCH", "/api/me", { name });
    }
    const me = await this.call<{ id: number; email: string }>("POST", "/api/auth/register", { name, email, password: PASSWORD });
    this.token = null; // rotated at login
    return me;
  }

  async login(email: string): Promise<void> {
    await this.call("POST", "/api/auth/login", { email, password: PASSWORD });
    this.token = null;
  }
}

/** Inject axe-core and fail on serious or critical violations. */
export async function expectNoSeriousA11yViolations(page: Page, label: string): Promise<void> {
  // After a client-side navigation Next streams the new <title> in a moment later.
  await page.waitForFunction(() => document.title.trim().length > 0);
  // Colours are judged as they settle: a button fading back from its pending state mid-transition
  // is not a contrast failure of the page.
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== "running"));
  await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
  const violations = await page.evaluate(async () => {
    // @ts-expect-error injected above
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return (result.violations as { id: string; impact: string; help: string; nodes: { target: string[] }[] }[])
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) }));
  });
  expect(violations, `${label}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
}
