import type { Locale } from "./i18n";
import { intlLocale } from "./money";

const cache = new Map<string, Intl.DateTimeFormat>();

function fmt(locale: Locale, opts: Intl.DateTimeFormatOptions, key: string): Intl.DateTimeFormat {
  const k = `${locale}:${key}`;
  let f = cache.get(k);
  if (!f) {
    f = new Intl.DateTimeFormat(intlLocale(locale), { timeZone: "Asia/Jakarta", ...opts });
    cache.set(k, f);
  }
  return f;
}

/** "2026-11-20" -> id "20 Nov 2026", en "Nov 20, 2026" (a calendar date: no time zone shift). */
export function formatDate(isoDate: string, locale: Locale): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  if (!m) return isoDate;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 12));
  return fmt(locale, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }, "date").format(d);
}

/** A timestamp in Jakarta time: "20 Nov 2026 19.05". */
export function formatDateTime(iso: string, locale: Locale): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return fmt(locale, { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" }, "datetime").format(d);
}
