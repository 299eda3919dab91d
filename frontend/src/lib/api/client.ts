/**
 * The typed API client: openapi-fetch over the generated `paths`, same origin (/api/* is proxied
 * to Django), session cookie + CSRF token.
 *
 * The csrftoken cookie is HttpOnly, so the token from GET /api/auth/csrf is kept in memory and
 * sent as X-CSRFToken on every unsafe request. Django rotates it at login (and logout drops the
 * session), so `resetCsrfToken()` is called after both; a 403 "csrf_failed" refetches it and
 * retries the request once.
 */

import createClient from "openapi-fetch";

import { ApiError, apiErrorFrom } from "./errors";
import type { components, paths } from "./schema";

export type Schemas = components["schemas"];

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS", "TRACE"]);

let csrfToken: string | null = null;
let csrfInflight: Promise<string> | null = null;

function networkError(e: unknown): ApiError {
  return new ApiError({ status: 0, code: "network", message: e instanceof Error ? e.message : "Network error" });
}

async function fetchCsrfToken(): Promise<string> {
  let res: Response;
  try {
    res = await globalThis.fetch("/api/auth/csrf", { credentials: "same-origin", cache: "no-store" });
  } catch (e) {
    throw networkError(e); // offline: the same error as the request itself would give
  }
  if (!res.ok) throw apiErrorFrom(res.status, await safeJson(res), res.headers.get("Retry-After"));
  const body = (await res.json()) as { csrf_token: string };
  return body.csrf_token;
}

export async function getCsrfToken(): Promise<string> {
  if (csrfToken) return csrfToken;
  csrfInflight ??= fetchCsrfToken()
    .then((t) => {
      csrfToken = t;
      return t;
    })
    .finally(() => {
      csrfInflight = null;
    });
  return csrfInflight;
}

/** Forget the token; the next unsafe request fetches a fresh one (after login/logout). */
export function resetCsrfToken(): void {
  csrfToken = null;
}

async function safeJson(res: Response): Promise<unknown> {
  try {
    return await res.clone().json();
  } catch {
    return null;
  }
}

async function send(request: Request, retryCsrf: boolean): Promise<Response> {
  const unsafe = !SAFE_METHODS.has(request.method.toUpperCase());
  let req = request;
  const spare = unsafe && retryCsrf ? request.clone() : null;
  if (unsafe) {
    const headers = new Headers(request.headers);
    headers.set("X-CSRFToken", await getCsrfToken());
    req = new Request(request, { headers });
  }
  let res: Response;
  try {
    res = await globalThis.fetch(req);
  } catch (e) {
    throw networkError(e);
  }
  if (res.status === 403 && spare) {
    const body = (await safeJson(res)) as { error?: { code?: string } } | null;
    if (body?.error?.code === "csrf_failed") {
      resetCsrfToken();
      return send(spare, false);
    }
  }
  return res;
}

export const api = createClient<paths>({
  baseUrl: "",
  credentials: "same-origin",
  fetch: (request) => send(request, true),
});

type Result<T> = { data?: T; error?: unknown; response: Response };

/**
 * Await an openapi-fetch call and return its data, or throw an ApiError carrying the API's code,
 * message, field errors and Retry-After.
 */
export async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok || error !== undefined) {
    throw apiErrorFrom(response.status, error ?? null, response.headers.get("Retry-After"));
  }
  return data as T;
}

/** A fresh Idempotency-Key for one create action (reuse it when retrying the same submit). */
export function idempotencyKey(): string {
  if (typeof crypto !== "undefined" && "randomUUID" in crypto) return crypto.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

/** Download a same-origin file (my data, group export) as the browser would from a link. */
export async function downloadFile(path: string, fallbackName: string): Promise<void> {
  let res: Response;
  try {
    res = await globalThis.fetch(path, { credentials: "same-origin" });
  } catch (e) {
    throw networkError(e);
  }
  if (!res.ok) throw apiErrorFrom(res.status, await safeJson(res), res.headers.get("Retry-After"));
  const disposition = res.headers.get("Content-Disposition") ?? "";
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallbackName;
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
