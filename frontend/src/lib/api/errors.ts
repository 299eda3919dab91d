/**
 * The API's error shape, on the client: {"error": {"code", "message", "details"}} with field
 * errors in details.fields as dotted paths ({"payers.0.amount": ["..."]}).
 */

export type FieldErrors = Record<string, string[]>;

export interface ApiErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown>;
  /** Seconds to wait, for a 429 (from Retry-After or details.retry_after). */
  readonly retryAfter: number | null;

  constructor(init: {
    status: number;
    code: string;
    message: string;
    details?: Record<string, unknown>;
    retryAfter?: number | null;
  }) {
    super(init.message);
    this.name = "ApiError";
    this.status = init.status;
    this.code = init.code;
    this.details = init.details ?? {};
    this.retryAfter = init.retryAfter ?? null;
  }

  get fields(): FieldErrors {
    return normalizeFields(this.details.fields);
  }

  get isNetwork(): boolean {
    return this.status === 0;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

function normalizeFields(raw: unknown): FieldErrors {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return {};
  const out: FieldErrors = {};
  for (const [path, messages] of Object.entries(raw as Record<string, unknown>)) {
    if (Array.isArray(messages)) {
      const strings = messages.filter((m): m is string => typeof m === "string");
      if (strings.length) out[path] = strings;
    } else if (typeof messages === "string") {
      out[path] = [messages];
    }
  }
  return out;
}

/** Retry-After is seconds (or an HTTP date); fall back to the body's details.retry_after. */
export function parseRetryAfter(header: string | null, details?: Record<string, unknown>, now = Date.now()): number | null {
  if (header) {
    const trimmed = header.trim();
    if (/^[0-9]+$/.test(trimmed)) return Number(trimmed);
    const date = Date.parse(trimmed);
    if (!Number.isNaN(date)) return Math.max(0, Math.ceil((date - now) / 1000));
  }
  const fromBody = details?.retry_after;
  if (typeof fromBody === "number" && Number.isFinite(fromBody) && fromBody >= 0) return Math.ceil(fromBody);
  return null;
}

/** Build an ApiError from a failed response's status, headers and (maybe JSON) body. */
export function apiErrorFrom(status: number, body: unknown, retryAfterHeader: string | null = null): ApiError {
  const err = (body as Partial<ApiErrorBody> | null | undefined)?.error;
  if (err && typeof err === "object" && typeof err.code === "string") {
    const details = (err.details && typeof err.details === "object" ? err.details : {}) as Record<string, unknown>;
    return new ApiError({
      status,
      code: err.code,
      message: typeof err.message === "string" ? err.message : err.code,
      details,
      retryAfter: status === 429 ? parseRetryAfter(retryAfterHeader, details) : null,
    });
  }
  return new ApiError({
    status,
    code: status === 0 ? "network" : status >= 500 ? "server_error" : "http_error",
    message: status === 0 ? "Network error" : `HTTP ${status}`,
    retryAfter: status === 429 ? parseRetryAfter(retryAfterHeader) : null,
  });
}

/**
 * Split an error's field messages into those a form shows next to one of its fields and those
 * it must show at the top (paths the form doesn't render). `known` decides: a path is shown at
 * a field when known(path) is true. Paths are the API's dotted paths ("items.2.unit_price").
 */
export function partitionFieldErrors(
  fields: FieldErrors,
  known: (path: string) => boolean,
): { byField: FieldErrors; unmatched: string[] } {
  const byField: FieldErrors = {};
  const unmatched: string[] = [];
  for (const [path, messages] of Object.entries(fields)) {
    if (known(path)) byField[path] = [...(byField[path] ?? []), ...messages];
    else unmatched.push(...messages.map((m) => (path && path !== "body" ? `${humanPath(path)}: ${m}` : m)));
  }
  return { byField, unmatched };
}

/** Messages for `path` itself. */
export function errorsAt(fields: FieldErrors, path: string): string[] {
  return fields[path] ?? [];
}

/** Messages for `prefix` and everything below it ("items.0" -> "items.0.name", ...). */
export function errorsUnder(fields: FieldErrors, prefix: string): string[] {
  const out: string[] = [];
  for (const [path, messages] of Object.entries(fields)) {
    if (path === prefix || path.startsWith(`${prefix}.`)) out.push(...messages);
  }
  return out;
}

/** "split.items.2.unit_price" -> "split › items #3 › unit price" for a form-level summary. */
export function humanPath(path: string): string {
  return path
    .split(".")
    .map((part) => (/^[0-9]+$/.test(part) ? `#${Number(part) + 1}` : part.replace(/_/g, " ")))
    .join(" › ");
}

/** Remap API paths onto a form's own paths, e.g. {"split.items": "items"}: "split.items.0.name" -> "items.0.name". */
export function remapFieldErrors(fields: FieldErrors, prefixes: Record<string, string>): FieldErrors {
  const out: FieldErrors = {};
  const entries = Object.entries(prefixes).sort((a, b) => b[0].length - a[0].length);
  for (const [path, messages] of Object.entries(fields)) {
    let mapped = path;
    for (const [from, to] of entries) {
      if (path === from || path.startsWith(`${from}.`)) {
        mapped = to + path.slice(from.length);
        break;
      }
    }
    out[mapped] = [...(out[mapped] ?? []), ...messages];
  }
  return out;
}
