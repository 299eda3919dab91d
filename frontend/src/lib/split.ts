/**
 * The server's splitting rules, in the browser: a bill body (the generated BillIn type) in,
 * exact per-member shares in minor units out, so the bill form shows who owes what while typing,
 * offline too.
 *
 * This mirrors paytungan.splitting.compute_bill, paytungan.money.allocate and
 * paytungan.splitting.convert_result step by step: the same canonical content and sha256 tie key,
 * the same largest-remainder allocation with hashed tie-breaks, each charge rounded half-up once
 * in DESIGN.md's order, a foreign bill converted once and re-allocated. The golden bills in
 * tests/golden/bills/*.json are checked against both implementations (split.test.ts here,
 * backend/paytungan/splitting/tests/test_golden.py there), so the two cannot drift apart.
 *
 * Validation stays the server's job: computeSplit answers `{ ok: false, reason }` for a body the
 * server would refuse for arithmetic reasons (percents not 100, exact amounts not the total, a
 * discount larger than the items, ...), and trusts the form's parsers for the notation.
 */

import type { Schemas } from "./api/client";
import { percentOf, roundHalfUpDiv } from "./bill";
import { exponentOf, fromMinor, toMinor } from "./money";
import { sha256Hex } from "./sha256";

type BillIn = Schemas["BillIn"];

export const TIE_KEY_VERSION = 1;
const PERCENT_PLACES = 2;
const SHARE_PLACES = 4;

export interface MemberBreakdown {
  items: bigint;
  discount: bigint;
  service: bigint;
  tax: bigint;
  tip: bigint;
  total: bigint;
}

/** Amounts per member id, in ascending id order (Map keeps insertion order). */
export type ByMember<T> = Map<number, T>;

export interface SplitResult {
  currency: string;
  total: bigint;
  paid: ByMember<bigint>;
  shares: ByMember<bigint>;
  /** Itemized bills, in the bill's own currency; null otherwise and after conversion. */
  breakdown: ByMember<MemberBreakdown> | null;
  tieKey: string;
}

export type SplitReason =
  | "invalid"
  | "no_members"
  | "no_items"
  | "no_payer"
  | "exact_sum"
  | "percent_sum"
  | "shares_zero"
  | "discount_too_large"
  | "free_items_tip"
  | "total_zero"
  | "total_mismatch"
  | "payers_mismatch"
  | "rate_zero";

export type SplitOutcome =
  | { ok: true; original: SplitResult; result: SplitResult }
  | { ok: false; reason: SplitReason };

class Refused extends Error {
  constructor(readonly reason: SplitReason) {
    super(reason);
  }
}

// --- allocation --------------------------------------------------------------------------------

/** paytungan.money.allocate: parts proportional to weights, summing exactly to total. */
export function allocate(total: bigint, weights: readonly bigint[], tieKey: string): bigint[] {
  if (total < 0n) throw new Error("total must not be negative");
  if (weights.length === 0) throw new Error("nothing to allocate over");
  const denominator = weights.reduce((a, w) => a + w, 0n);
  if (denominator <= 0n || weights.some((w) => w < 0n)) throw new Error("weights must be non-negative, one positive");
  const parts = weights.map((w) => (total * w) / denominator);
  const remainders = weights.map((w) => (total * w) % denominator);
  const leftover = Number(total - parts.reduce((a, p) => a + p, 0n));
  if (leftover > 0) {
    const threshold = [...remainders].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0))[leftover - 1]!;
    const winners: number[] = [];
    const tied: { index: number; hash: string }[] = [];
    remainders.forEach((r, index) => {
      if (r > threshold) winners.push(index);
      else if (r === threshold) tied.push({ index, hash: sha256Hex(`${tieKey}:${index}`) });
    });
    tied.sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : a.index - b.index));
    for (const index of [...winners, ...tied.slice(0, leftover - winners.length).map((t) => t.index)]) {
      parts[index]! += 1n;
    }
  }
  return parts;
}

// --- canonical content and tie key ---------------------------------------------------------------

type Json = null | number | string | Json[] | { [key: string]: Json };

/** json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False). */
export function canonicalJson(value: Json): string {
  if (value === null || typeof value === "number" || typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k]!)}`).join(",")}}`;
}

/** paytungan.splitting.canonical.canonical_decimal for a valid decimal text: "1.50" -> "1.5". */
export function canonicalDecimal(text: string): string {
  const [int = "0", frac = ""] = text.split(".");
  const trimmed = frac.replace(/0+$/, "");
  return trimmed ? `${int}.${trimmed}` : int;
}

export function tieKey(content: Record<string, Json>): string {
  return sha256Hex(canonicalJson({ tie_key_version: TIE_KEY_VERSION, ...content }));
}

// --- parsing (trusting the notation, checking the arithmetic) ------------------------------------

const DECIMAL = /^(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;

function units(text: string | null | undefined, places: number): bigint {
  const m = DECIMAL.exec(text ?? "");
  if (!m || (m[2] ?? "").length > places) throw new Refused("invalid");
  return BigInt((m[1] ?? "0") + (m[2] ?? "").padEnd(places, "0"));
}

function minor(text: string | null | undefined, currency: string): bigint {
  if (!DECIMAL.test(text ?? "")) throw new Refused("invalid");
  try {
    return toMinor(text!, currency);
  } catch {
    throw new Refused("invalid");
  }
}

function percentText(text: string | undefined): string {
  const value = text ?? "0";
  if (units(value, PERCENT_PLACES) > 100n * 10n ** BigInt(PERCENT_PLACES)) throw new Refused("invalid");
  return value;
}

function sortedMap<T>(entries: Iterable<[number, T]>): ByMember<T> {
  return new Map([...entries].sort((a, b) => a[0] - b[0]));
}

// --- compute ---------------------------------------------------------------------------------------

/**
 * Split `body` as the server would for a group keeping its books in `groupCurrency`.
 * `date` is the bill's date when the body has none (the server uses today in Asia/Jakarta).
 */
export function computeSplit(body: BillIn, opts: { groupCurrency: string; date?: string }): SplitOutcome {
  try {
    const currency = body.currency ?? opts.groupCurrency;
    exponentOf(currency);
    const original = computeOriginal(body, currency, body.date ?? opts.date ?? "");
    if (currency === opts.groupCurrency) return { ok: true, original, result: original };
    if (!body.exchange_rate) throw new Refused("invalid");
    return { ok: true, original, result: convertResult(original, opts.groupCurrency, body.exchange_rate) };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, reason: error.reason };
    throw error;
  }
}

function computeOriginal(body: BillIn, currency: string, date: string): SplitResult {
  const mode = body.split.mode;
  if (body.payers.length === 0) throw new Refused("no_payer");
  const paid = sortedMap(body.payers.map((p): [number, bigint] => [p.member_id, minor(p.amount, currency)]));
  if (paid.size !== body.payers.length || [...paid.values()].some((a) => a <= 0n)) throw new Refused("invalid");

  const zero = fromMinor(0n, currency);
  let charges: Record<string, string> = {
    discount: zero,
    discount_percent: "0",
    service_percent: "0",
    tax_percent: "0",
    tip: zero,
  };
  let members: Json[] = [];
  let items: Json[] = [];
  let total: bigint;
  let shares: ByMember<bigint>;
  let breakdown: ByMember<MemberBreakdown> | null = null;
  let allocateShares: (key: string) => void;

  if (mode === "itemized") {
    const parsed = (body.split.items ?? []).map((item) => {
      const ids = [...new Set(item.member_ids)].sort((a, b) => a - b);
      if (ids.length === 0) throw new Refused("no_members");
      if (ids.length !== item.member_ids.length) throw new Refused("invalid");
      const quantity = item.quantity ?? 1;
      if (!Number.isInteger(quantity) || quantity < 1 || quantity > 10_000) throw new Refused("invalid");
      const unitPrice = minor(item.unit_price, currency);
      return { name: item.name, quantity, unitPrice, ids, line: unitPrice * BigInt(quantity) };
    });
    if (parsed.length === 0) throw new Refused("no_items");
    const c = body.split.charges ?? {};
    const discountAmount = minor(c.discount ?? "0", currency);
    const tip = minor(c.tip ?? "0", currency);
    const dp = percentText(c.discount_percent);
    const sp = percentText(c.service_percent);
    const tp = percentText(c.tax_percent);
    const subtotal = parsed.reduce((a, i) => a + i.line, 0n);
    const discount = discountAmount + percentOf(subtotal, dp);
    if (discount > subtotal) throw new Refused("discount_too_large");
    if (subtotal === 0n && tip > 0n) throw new Refused("free_items_tip");
    const discounted = subtotal - discount;
    const service = percentOf(discounted, sp);
    const tax = percentOf(discounted + service, tp);
    total = discounted + service + tax + tip;
    if (total <= 0n) throw new Refused("total_zero");
    if (body.total != null && minor(body.total, currency) !== total) throw new Refused("total_mismatch");
    charges = {
      discount: fromMinor(discountAmount, currency),
      discount_percent: canonicalDecimal(dp),
      service_percent: canonicalDecimal(sp),
      tax_percent: canonicalDecimal(tp),
      tip: fromMinor(tip, currency),
    };
    items = parsed.map((i) => [i.name, i.quantity, fromMinor(i.unitPrice, currency), i.ids]);
    allocateShares = (key) => {
      const subtotals = new Map<number, bigint>();
      parsed.forEach((item, index) => {
        const parts = allocate(item.line, item.ids.map(() => 1n), `${key}:item:${index}`);
        item.ids.forEach((id, k) => subtotals.set(id, (subtotals.get(id) ?? 0n) + parts[k]!));
      });
      const ids = [...subtotals.keys()].sort((a, b) => a - b);
      const weights = ids.map((id) => subtotals.get(id)!);
      const shareOf = (charge: string, amount: bigint) =>
        amount === 0n ? ids.map(() => 0n) : allocate(amount, weights, `${key}:${charge}`);
      const discounts = shareOf("discount", discount);
      const services = shareOf("service", service);
      const taxes = shareOf("tax", tax);
      const tips = shareOf("tip", tip);
      breakdown = new Map(
        ids.map((id, k) => {
          const b = { items: weights[k]!, discount: discounts[k]!, service: services[k]!, tax: taxes[k]!, tip: tips[k]! };
          return [id, { ...b, total: b.items - b.discount + b.service + b.tax + b.tip }];
        }),
      );
      shares = new Map([...breakdown].map(([id, b]) => [id, b.total]));
    };
  } else {
    if ((body.split.items ?? []).length > 0) throw new Refused("invalid");
    if (body.total == null) throw new Refused("invalid");
    const given = minor(body.total, currency);
    if (given <= 0n) throw new Refused("invalid");
    total = given;
    const list = body.split.members ?? [];
    if (list.length === 0) throw new Refused("no_members");
    const parsed = list
      .map((m) => {
        if (mode === "equal") {
          if (m.value != null) throw new Refused("invalid");
          return { id: m.member_id, units: 1n, canonical: null as string | null };
        }
        if (mode === "exact") {
          const amount = minor(m.value, currency);
          return { id: m.member_id, units: amount, canonical: fromMinor(amount, currency) };
        }
        const places = mode === "percent" ? PERCENT_PLACES : SHARE_PLACES;
        const value = m.value ?? "";
        return { id: m.member_id, units: units(value, places), canonical: canonicalDecimal(value) };
      })
      .sort((a, b) => a.id - b.id);
    if (new Set(parsed.map((m) => m.id)).size !== parsed.length) throw new Refused("invalid");
    const sum = parsed.reduce((a, m) => a + m.units, 0n);
    if (mode === "exact" && sum !== given) throw new Refused("exact_sum");
    if (mode === "percent" && sum !== 100n * 10n ** BigInt(PERCENT_PLACES)) throw new Refused("percent_sum");
    if (mode === "shares" && sum === 0n) throw new Refused("shares_zero");
    members = parsed.map((m) => [m.id, m.canonical]);
    allocateShares = (key) => {
      if (mode === "exact") {
        shares = new Map(parsed.map((m) => [m.id, m.units]));
        return;
      }
      const parts = allocate(given, parsed.map((m) => m.units), `${key}:${mode}`);
      shares = new Map(parsed.map((m, k) => [m.id, parts[k]!]));
    };
  }

  const paidTotal = [...paid.values()].reduce((a, p) => a + p, 0n);
  if (paidTotal !== total) throw new Refused("payers_mismatch");

  const key = tieKey({
    currency,
    mode,
    title: body.title,
    date,
    total: fromMinor(total, currency),
    payers: [...paid].map(([id, amount]) => [id, fromMinor(amount, currency)]),
    members,
    items,
    charges,
  });
  shares = new Map();
  allocateShares(key);
  return { currency, total, paid, shares, breakdown, tieKey: key };
}

// --- conversion ------------------------------------------------------------------------------------

/** paytungan.splitting.convert_result: total converted once, paid and shares re-allocated. */
export function convertResult(result: SplitResult, toCurrency: string, rate: string): SplitResult {
  const m = DECIMAL.exec(rate);
  if (!m || (m[2] ?? "").length > 10) throw new Refused("invalid");
  const frac = m[2] ?? "";
  const numerator = BigInt((m[1] ?? "0") + frac);
  const denominator = 10n ** BigInt(frac.length);
  if (numerator === 0n) throw new Refused("invalid");
  const scaleFrom = 10n ** BigInt(exponentOf(result.currency));
  const scaleTo = 10n ** BigInt(exponentOf(toCurrency));
  const total = roundHalfUpDiv(result.total * numerator * scaleTo, denominator * scaleFrom);
  if (total === 0n) throw new Refused("rate_zero");
  const inProportion = (amounts: ByMember<bigint>, key: string): ByMember<bigint> => {
    const ids = [...amounts.keys()].sort((a, b) => a - b);
    const weights = ids.map((id) => amounts.get(id)!);
    if (weights.every((w) => w === 0n)) return new Map(ids.map((id) => [id, 0n]));
    const parts = allocate(total, weights, key);
    return new Map(ids.map((id, k) => [id, parts[k]!]));
  };
  return {
    currency: toCurrency,
    total,
    paid: inProportion(result.paid, `${result.tieKey}:convert:paid`),
    shares: inProportion(result.shares, `${result.tieKey}:convert:shares`),
    breakdown: null,
    tieKey: result.tieKey,
  };
}
