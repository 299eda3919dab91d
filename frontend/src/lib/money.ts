/**
 * Money on the client: never a float.
 *
 * - The API speaks decimal strings in major units ("125000", "12.50").
 * - People type amounts the way their locale writes them: Indonesian "125.000" / "12,50",
 *   English "125,000" / "12.50". `parseAmount` turns that into the API string, or says exactly
 *   what is wrong with it.
 * - Any client-side sum is done in integer minor units with BigInt (`toMinor`, `sumAmounts`).
 * - Display goes through Intl.NumberFormat with the currency's exponent; Intl formats decimal
 *   *strings* exactly, so no number ever carries a money value.
 */

import type { Locale } from "./i18n";

/** ISO 4217 minor-unit digits, except IDR which is 0 (as people and banks write it). Mirrors
 * backend/paytungan/money/currencies.py. */
export const CURRENCY_EXPONENTS: Readonly<Record<string, number>> = {
  IDR: 0, JPY: 0, KRW: 0, VND: 0, CLP: 0, ISK: 0, PYG: 0, UGX: 0, XAF: 0, XOF: 0, XPF: 0,
  USD: 2, EUR: 2, GBP: 2, CHF: 2, SGD: 2, MYR: 2, THB: 2, PHP: 2, BND: 2, KHR: 2, LAK: 2,
  MMK: 2, AUD: 2, NZD: 2, CAD: 2, CNY: 2, HKD: 2, MOP: 2, TWD: 2, INR: 2, PKR: 2, BDT: 2,
  LKR: 2, NPR: 2, AED: 2, SAR: 2, QAR: 2, TRY: 2, ILS: 2, EGP: 2, ZAR: 2, NGN: 2, KES: 2,
  SEK: 2, NOK: 2, DKK: 2, PLN: 2, CZK: 2, HUF: 2, RUB: 2, BRL: 2, MXN: 2, ARS: 2, COP: 2,
  PEN: 2,
  KWD: 3, BHD: 3, OMR: 3, JOD: 3, TND: 3, LYD: 3, IQD: 3,
};

/** Currencies offered in pickers, most used first. */
export const COMMON_CURRENCIES = [
  "IDR", "USD", "SGD", "MYR", "JPY", "EUR", "AUD", "THB", "KRW", "GBP", "KWD",
] as const;

export class UnknownCurrencyError extends Error {
  constructor(readonly currency: string) {
    super(`Unknown currency ${JSON.stringify(currency)}`);
    this.name = "UnknownCurrencyError";
  }
}

export function isKnownCurrency(code: string): boolean {
  return Object.hasOwn(CURRENCY_EXPONENTS, code);
}

export function exponentOf(currency: string): number {
  const exp = CURRENCY_EXPONENTS[currency];
  if (exp === undefined) throw new UnknownCurrencyError(currency);
  return exp;
}

export function intlLocale(locale: Locale): string {
  return locale === "id" ? "id-ID" : "en-US";
}

/** The separators people use when typing numbers in each locale. */
export function separators(locale: Locale): { group: string; decimal: string } {
  return locale === "id" ? { group: ".", decimal: "," } : { group: ",", decimal: "." };
}

// --- parsing what people type --------------------------------------------------------------

export type ParseErrorCode =
  | "empty"
  | "negative"
  | "invalid" // characters that are not digits or the locale's separators
  | "grouping" // thousands separators in the wrong places (or the other locale's decimal mark)
  | "too_many_decimals"
  | "too_large"
  | "zero";

export type ParseResult = { ok: true; value: string } | { ok: false; error: ParseErrorCode };

export interface ParseDecimalOptions {
  locale: Locale;
  /** Most digits allowed after the decimal mark; extra trailing zeros are accepted and dropped. */
  maxDecimals: number;
  /** Pad the fraction to exactly `maxDecimals` digits (money does; percents don't). */
  padDecimals?: boolean;
  allowZero?: boolean;
  /** Most digits before the decimal mark. */
  maxIntegerDigits?: number;
}

const SPACES = /[\s\u00a0\u202f]/g;

/**
 * Parse a non-negative decimal typed in the locale's notation into a canonical string with "."
 * as decimal mark and no grouping ("125.000" (id) -> "125000", "2,5" (id) -> "2.5").
 */
export function parseDecimal(input: string, opts: ParseDecimalOptions): ParseResult {
  const { group, decimal } = separators(opts.locale);
  const maxIntegerDigits = opts.maxIntegerDigits ?? 15;
  let text = input.replace(SPACES, "");
  if (text === "") return { ok: false, error: "empty" };
  if (text.startsWith("-") || text.startsWith("\u2212")) return { ok: false, error: "negative" };
  if (text.startsWith("+")) text = text.slice(1);
  if (!/^[0-9.,]+$/.test(text)) return { ok: false, error: "invalid" };

  const parts = text.split(decimal);
  if (parts.length > 2) return { ok: false, error: "grouping" };
  const intPart = parts[0] ?? "";
  const fracPart = parts[1];
  if (fracPart !== undefined && (fracPart === "" || fracPart.includes(group))) {
    // "12," or a group separator after the decimal mark: the user probably meant the other
    // locale's notation.
    return { ok: false, error: fracPart === "" ? "invalid" : "grouping" };
  }

  let digits: string;
  if (intPart.includes(group)) {
    const groups = intPart.split(group);
    const [first, ...rest] = groups;
    if (!first || first.length > 3 || rest.some((g) => g.length !== 3)) {
      return { ok: false, error: "grouping" };
    }
    digits = groups.join("");
  } else {
    digits = intPart;
  }
  if (digits === "" && fracPart === undefined) return { ok: false, error: "invalid" };
  if (digits === "") digits = "0"; // ",5" -> 0.5
  if (!/^[0-9]+$/.test(digits)) return { ok: false, error: "invalid" };

  let fraction = fracPart ?? "";
  if (fraction.length > opts.maxDecimals) {
    // Extra zeros are harmless ("125.000,00" as banks write rupiah), except three of them:
    // "125.000" typed for IDR in English notation most likely means 125 thousand, so refuse it.
    const extra = fraction.slice(opts.maxDecimals);
    if (!/^0+$/.test(extra) || fraction.length === 3) return { ok: false, error: "too_many_decimals" };
    fraction = fraction.slice(0, opts.maxDecimals);
  }

  digits = digits.replace(/^0+(?=[0-9])/, "");
  if (digits.length > maxIntegerDigits) return { ok: false, error: "too_large" };

  if (opts.padDecimals) {
    fraction = fraction.padEnd(opts.maxDecimals, "0");
  } else {
    fraction = fraction.replace(/0+$/, "");
  }
  const value = fraction && opts.maxDecimals > 0 ? `${digits}.${fraction}` : digits;
  if (opts.allowZero === false && /^[0.]+$/.test(value)) return { ok: false, error: "zero" };
  return { ok: true, value };
}

export interface ParseAmountOptions {
  locale: Locale;
  currency: string;
  allowZero?: boolean;
}

/**
 * Parse an amount typed as the locale writes it into the API's decimal string for `currency`.
 * id + IDR: "125.000" -> "125000"; en + USD: "12.5" -> "12.50"; id + USD: "12,50" -> "12.50".
 * A leading currency symbol or code ("Rp", "IDR", "$") is tolerated.
 */
export function parseAmount(input: string, opts: ParseAmountOptions): ParseResult {
  const exp = exponentOf(opts.currency);
  const stripped = input
    .replace(SPACES, "")
    .replace(new RegExp(`^(-?)(${opts.currency}|rp|us\\$|\\$|€|£|¥)`, "i"), "$1");
  return parseDecimal(stripped, {
    locale: opts.locale,
    maxDecimals: exp,
    padDecimals: true,
    allowZero: opts.allowZero ?? true,
    maxIntegerDigits: 15,
  });
}

/** Percent charges and splits: 0 to 100 with up to 2 decimals ("2,5" -> "2.5"), as the API allows. */
export function parsePercent(input: string, locale: Locale): ParseResult {
  const r = parseDecimal(input, { locale, maxDecimals: 2, maxIntegerDigits: 3 });
  if (r.ok && Number(r.value) > 100) return { ok: false, error: "too_large" };
  return r;
}

/** Share weights ("2", "1,5"). */
export function parseShares(input: string, locale: Locale): ParseResult {
  return parseDecimal(input, { locale, maxDecimals: 4, maxIntegerDigits: 6 });
}

/** Exchange rates: group-currency units per bill-currency unit ("15.750" in id = 15750). */
export function parseRate(input: string, locale: Locale): ParseResult {
  return parseDecimal(input, { locale, maxDecimals: 10, maxIntegerDigits: 12, allowZero: false });
}

// --- exact arithmetic in minor units -------------------------------------------------------

const API_DECIMAL = /^(-)?([0-9]+)(?:\.([0-9]+))?$/;

/** "125000" (IDR) -> 125000n; "12.5" (USD) -> 1250n; "-3.25" (USD) -> -325n. */
export function toMinor(amount: string, currency: string): bigint {
  const exp = exponentOf(currency);
  const m = API_DECIMAL.exec(amount.trim());
  if (!m) throw new Error(`Not a decimal amount: ${JSON.stringify(amount)}`);
  const [, sign, int = "0", frac = ""] = m;
  if (frac.length > exp && !/^0*$/.test(frac.slice(exp))) {
    throw new Error(`${JSON.stringify(amount)} has more decimals than ${currency} allows`);
  }
  const minor = BigInt(int + frac.slice(0, exp).padEnd(exp, "0"));
  return sign ? -minor : minor;
}

/** 1250n (USD) -> "12.50"; 125000n (IDR) -> "125000". */
export function fromMinor(minor: bigint, currency: string): string {
  const exp = exponentOf(currency);
  const negative = minor < 0n;
  const abs = (negative ? -minor : minor).toString();
  if (exp === 0) return (negative ? "-" : "") + abs;
  const padded = abs.padStart(exp + 1, "0");
  return `${negative ? "-" : ""}${padded.slice(0, -exp)}.${padded.slice(-exp)}`;
}

export function sumAmounts(amounts: readonly string[], currency: string): string {
  let total = 0n;
  for (const a of amounts) total += toMinor(a, currency);
  return fromMinor(total, currency);
}

export function subtractAmounts(a: string, b: string, currency: string): string {
  return fromMinor(toMinor(a, currency) - toMinor(b, currency), currency);
}

/** `unit_price` x `quantity`, exactly. */
export function multiplyAmount(amount: string, quantity: number, currency: string): string {
  if (!Number.isSafeInteger(quantity)) throw new Error("quantity must be a safe integer");
  return fromMinor(toMinor(amount, currency) * BigInt(quantity), currency);
}

export function compareAmounts(a: string, b: string, currency: string): -1 | 0 | 1 {
  const d = toMinor(a, currency) - toMinor(b, currency);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

export function isZero(amount: string, currency: string): boolean {
  return toMinor(amount, currency) === 0n;
}

export function absAmount(amount: string): string {
  return amount.startsWith("-") ? amount.slice(1) : amount;
}

/**
 * Split `total` into `n` parts that differ by at most one minor unit and sum exactly to it
 * (the first `remainder` parts get the extra unit). Only used for hints; the API decides.
 */
export function splitEvenly(total: string, n: number, currency: string): string[] {
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error("n must be a positive integer");
  const minor = toMinor(total, currency);
  const count = BigInt(n);
  const base = minor / count;
  const remainder = minor % count;
  return Array.from({ length: n }, (_, i) => fromMinor(base + (BigInt(i) < remainder ? 1n : 0n), currency));
}

// --- display ----------------------------------------------------------------------------------

const formatters = new Map<string, Intl.NumberFormat>();

function currencyFormatter(locale: Locale, currency: string): Intl.NumberFormat {
  const key = `${locale}:${currency}`;
  let f = formatters.get(key);
  if (!f) {
    const exp = exponentOf(currency);
    f = new Intl.NumberFormat(intlLocale(locale), {
      style: "currency",
      currency,
      // en shows the ISO code ("IDR 125,000", "USD 12.50"): unambiguous for a travel app.
      currencyDisplay: locale === "en" ? "code" : "symbol",
      minimumFractionDigits: exp,
      maximumFractionDigits: exp,
    });
    formatters.set(key, f);
  }
  return f;
}

/** "125000" IDR -> id "Rp125.000", en "IDR 125,000"; "-12.5" USD -> en "−USD 12.50" (one minus sign, U+2212, everywhere). */
export function formatMoney(amount: string, currency: string, locale: Locale): string {
  toMinor(amount, currency); // validates: never round silently
  // Intl.NumberFormat formats a decimal *string* exactly (no float conversion).
  const parts = currencyFormatter(locale, currency).formatToParts(amount as unknown as number);
  let out = "";
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (locale === "id" && part.type === "literal" && /^[\s\u00a0\u202f]+$/.test(part.value)) {
      // id-ID writes "Rp 125.000"; Indonesians (and receipts) write "Rp125.000".
      const prev = parts[i - 1];
      if (prev?.type === "currency") continue;
    }
    out += part.type === "literal" ? part.value.replace(/[\u00a0\u202f]/g, " ") : part.type === "minusSign" ? MINUS : part.value;
  }
  return out;
}

const plainFormatters = new Map<string, Intl.NumberFormat>();

/** The minus sign of every displayed amount (a discount's "−Rp5.000" and a balance's alike). */
export const MINUS = "\u2212";

/** An API amount as the locale writes it in an input field: "125000" -> id "125.000". */
export function formatAmountInput(amount: string, currency: string, locale: Locale): string {
  const exp = exponentOf(currency);
  const minor = toMinor(amount, currency);
  const key = `${locale}:${exp}`;
  let f = plainFormatters.get(key);
  if (!f) {
    // Shows decimals only when there are any: "12.50" -> "12,50", "12.00" -> "12".
    f = new Intl.NumberFormat(intlLocale(locale), { minimumFractionDigits: 0, maximumFractionDigits: exp });
    plainFormatters.set(key, f);
  }
  const canonical = fromMinor(minor, currency);
  const s = f.format(canonical as unknown as number);
  if (exp > 0 && minor % 10n ** BigInt(exp) !== 0n) {
    // Keep "12,50" rather than "12,5" for money.
    const { decimal } = separators(locale);
    const [i, fr = ""] = s.split(decimal);
    return `${i}${decimal}${fr.padEnd(exp, "0")}`;
  }
  return s;
}

/** A plain decimal (percent, rate, shares) in the locale's notation: "2.5" -> id "2,5". */
export function formatDecimalInput(value: string, locale: Locale): string {
  if (!/^-?[0-9]+(\.[0-9]+)?$/.test(value)) return value;
  const [i = "0", fr] = value.split(".");
  const trimmed = fr?.replace(/0+$/, "");
  const { group, decimal } = separators(locale);
  const grouped = i.replace(/\B(?=(\d{3})+(?!\d))/g, group);
  return trimmed ? `${grouped}${decimal}${trimmed}` : grouped;
}

export function formatPercent(value: string, locale: Locale): string {
  return `${formatDecimalInput(value, locale)}%`;
}

/** A sample amount in the locale's notation, for placeholders: id IDR "125.000", en USD "12.50". */
export function exampleAmountText(currency: string, locale: Locale): string {
  const exp = exponentOf(currency);
  return formatAmountInput(exp === 0 ? "125000" : `12.${"5".padEnd(exp, "0")}`, currency, locale);
}
