/**
 * Removes secrets and personal data from anything sent to Sentry: the browser's and the Next
 * server's `beforeSend` / `beforeSendTransaction` / `beforeBreadcrumb`. A mirror of the backend's
 * backend/paytungan/ops/scrub.py (docs/operations.md, "Sentry scrubbing rules"), applied to the
 * whole event tree, because data turns up where nobody expected it (a query string in a
 * breadcrumb's URL, an e-mail in an error message, a token in a console line):
 *
 * 1. A value under a sensitive key (password, token, cookie, authorization, email, payout account
 *    number, ...) is replaced whole, whatever its type.
 * 2. Every string is searched for e-mails, bearer credentials, personal access tokens
 *    (`pyt_...`), invite codes in paths, bank account or phone numbers (10+ digits), and
 *    `key=value` / `"key": "value"` pairs with a sensitive key.
 * 3. `request.cookies` is dropped; `user` keeps only `id`.
 *
 * Two additions for the browser: invite codes also live in the app's own URLs (`/join/<code>`),
 * and e-mails in URLs are often percent-encoded (`ani%40example.com`).
 *
 * Pure (no Sentry import), so it is unit-tested and bundled only with the SDK's lazy chunk.
 */

export const FILTERED = "[Filtered]";
const MAX_DEPTH = 30;

// Matched against the key lower-cased with everything but letters and digits removed, so
// "X-CSRFToken", "csrf_token" and "csrfToken" are all "csrftoken".
const SENSITIVE_KEY =
  /password|passwd|passphrase|secret|token|apikey|privatekey|credential|authorization|auth(?!or)|cookie|session|csrf|email|accountnumber|accountname|iban|cardnumber|dsn$/;
// The same names as they appear inside free text ("password='x'", "token=abc&").
const TEXT_KEYS =
  String.raw`password|passwd|passphrase|secret|token|api[_-]?key|private[_-]?key|authorization` +
  String.raw`|cookie|sessionid|session_key|csrf\w*|e-?mail|account_(?:number|name)|iban|card_number`;
const KEY_VALUE = new RegExp(
  String.raw`(?<key>[\w.-]*(?:${TEXT_KEYS})[\w.-]*)` +
    String.raw`(?<sep>["']?\s*[:=]\s*)` +
    // (an already filtered value stays as it is: breadcrumbs are scrubbed once more with the event)
    String.raw`(?:\[Filtered\]|(?<q>["'])(?:\\.|(?!\k<q>).)*\k<q>|[^\s"'&,;)}\]]+)`,
  "gi",
);
const EMAIL = /[A-Za-z0-9._%+-]+(?:@|%40)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/gi;
const BEARER = /\b(Bearer|Token|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/gi;
// Invite codes are bearer secrets that live in URLs: the API's /api/invites/{code} and the
// app's /join/{code}, also percent-encoded inside a query string (the login page's
// ?next=%2Fjoin%2F<code>).
const INVITE_PATH = /((?:\/|%2F)(?:invites|join)(?:\/|%2F))[^/?#&%\s"'<>]+/gi;
// A personal access token pasted anywhere (pyt_ + url-safe base64).
const PAT = /\bpyt_[A-Za-z0-9_-]{4,}/g;
// Bank account and phone numbers: 10+ digits, plain or in groups ("0812-3456-7890", Mandiri's
// "123-00-1234567-8", "1234 5678 90"); amounts under a billion, dates and times stay readable,
// digits inside a word (hex ids) are left alone.
const LONG_NUMBER = /(?<![\w.])(?:\d{10,}|\d{1,7}(?:-\d{1,7}){1,5}|\d{2,4}(?: \d{2,4}){2,5})(?![\w.]|-\d)/g;
const MIN_ACCOUNT_DIGITS = 10;

export function isSensitiveKey(key: unknown): boolean {
  if (typeof key !== "string") return false;
  return SENSITIVE_KEY.test(key.toLowerCase().replace(/[^a-z0-9]/g, ""));
}

export function scrubText(text: string): string {
  // Credentials first: "Authorization: Bearer x" would otherwise lose only the word Bearer.
  let out = text.replace(BEARER, (_m, word: string) => `${word} ${FILTERED}`);
  out = out.replace(PAT, FILTERED);
  out = out.replace(KEY_VALUE, (...args: unknown[]) => {
    const groups = args[args.length - 1] as { key: string; sep: string; q?: string };
    const quote = groups.q ?? "";
    return `${groups.key}${groups.sep}${quote}${FILTERED}${quote}`;
  });
  out = out.replace(INVITE_PATH, `$1${FILTERED}`);
  out = out.replace(LONG_NUMBER, (m) => (m.replace(/\D/g, "").length >= MIN_ACCOUNT_DIGITS ? FILTERED : m));
  return out.replace(EMAIL, "[email]");
}

function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined || value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  return isPlainObject(value) && Object.keys(value).length === 0;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * A scrubbed copy of a JSON-like tree (plain objects, arrays, strings, scalars). Anything else
 * (class instances, Errors, Dates) is returned as it is, like the backend leaves non-dict objects:
 * what Sentry sends has been normalized to plain data before `beforeSend` runs.
 */
export function scrub(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) return FILTERED;
  if (typeof value === "string") return scrubText(value);
  if (Array.isArray(value)) {
    // Header and tag lists come as [name, value] pairs: judge the value by the name.
    if (value.length === 2 && isSensitiveKey(value[0])) return [value[0], FILTERED];
    return value.map((item) => scrub(item, depth + 1));
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = isSensitiveKey(key) && !isEmpty(item) ? FILTERED : scrub(item, depth + 1);
    }
    return out;
  }
  return value;
}

/** Keys of an event the SDK keeps for itself and never sends (it holds live scopes and spans). */
const SDK_INTERNAL = "sdkProcessingMetadata";

export function scrubEvent<T extends object>(event: T): T {
  const { [SDK_INTERNAL]: internal, ...rest } = event as Record<string, unknown>;
  const cleaned = scrub(rest) as Record<string, unknown>;
  const request = cleaned.request;
  if (isPlainObject(request)) {
    // Cookies carry the session and CSRF token; none of them helps to debug an error.
    delete request.cookies;
  }
  const user = cleaned.user;
  if (isPlainObject(user)) {
    // Only an opaque id: never email, username, name or IP address.
    cleaned.user = user.id !== undefined && user.id !== null && user.id !== "" ? { id: user.id } : {};
  }
  if (internal !== undefined) cleaned[SDK_INTERNAL] = internal;
  return cleaned as T;
}

export function scrubBreadcrumb<T extends object>(crumb: T): T {
  return scrub(crumb) as T;
}
