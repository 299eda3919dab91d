/**
 * The bill form as pure data: a draft of what the person typed (in their locale's notation) and
 * its translation into the API's bill body, with every problem keyed by the API's own dotted
 * path ("split.items.0.unit_price"), so client-side and server-side errors land on the same field.
 *
 * For an itemized bill with one payer, the payer's amount is the bill's total, which the API
 * computes. The same arithmetic is done here, exactly (BigInt minor units, each charge rounded
 * half-up once, in DESIGN.md's order), so the body is consistent before it is sent.
 */

import type { Schemas } from "./api/client";
import type { Locale } from "./i18n";
import {
  formatAmountInput,
  formatDecimalInput,
  fromMinor,
  parseAmount,
  parsePercent,
  parseRate,
  parseShares,
  toMinor,
  type ParseErrorCode,
} from "./money";

export const SPLIT_MODES = ["itemized", "equal", "exact", "percent", "shares"] as const;
export type SplitMode = (typeof SPLIT_MODES)[number];

export const CATEGORIES = [
  "food",
  "transport",
  "lodging",
  "groceries",
  "entertainment",
  "utilities",
  "shopping",
  "other",
] as const;
export type Category = (typeof CATEGORIES)[number];

export const CHARGE_FIELDS = ["discount", "discount_percent", "service_percent", "tax_percent", "tip"] as const;
export type ChargeField = (typeof CHARGE_FIELDS)[number];

export interface ItemDraft {
  key: string;
  name: string;
  quantity: string;
  unitPrice: string;
  memberIds: number[];
}

export interface BillDraft {
  title: string;
  date: string;
  category: Category;
  currency: string;
  rate: string;
  notes: string;
  mode: SplitMode;
  multiPayer: boolean;
  payerId: number | null;
  payerAmounts: Record<number, string>;
  total: string;
  /** equal mode: who shares the bill. */
  memberIds: number[];
  /** exact / percent / shares: the typed value per member. */
  memberValues: Record<number, string>;
  items: ItemDraft[];
  charges: Record<ChargeField, string>;
  /** The version the edit started from (PUT); null for a new bill. */
  version: number | null;
}

/** The API's bill body: the generated BillIn, plus BillUpdateIn's `version` when editing. */
export type BillBody = Schemas["BillIn"] & Partial<Pick<Schemas["BillUpdateIn"], "version">>;

export type IssueCode =
  | ParseErrorCode
  | "required"
  | "quantity"
  | "no_members"
  | "no_payer"
  | "no_items"
  | "payers_mismatch";

export interface Issue {
  code: IssueCode;
  /** What kind of number the field holds, to word the message. */
  kind?: "amount" | "percent" | "shares" | "rate" | "quantity" | "text";
  currency?: string;
}

export type Issues = Record<string, Issue>;

let keySeq = 0;
export function newItemKey(): string {
  keySeq += 1;
  return `item-${keySeq}`;
}

export function emptyItem(memberIds: number[] = []): ItemDraft {
  return { key: newItemKey(), name: "", quantity: "1", unitPrice: "", memberIds };
}

export function todayIso(now = new Date()): string {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, "0");
  const d = String(now.getDate()).padStart(2, "0");
  return `${y}-${m}-${d}`;
}

export function newDraft(opts: {
  currency: string;
  myMemberId: number | null;
  memberIds: number[];
  mode?: SplitMode;
  title?: string;
  now?: Date;
}): BillDraft {
  return {
    title: opts.title ?? "",
    date: todayIso(opts.now),
    category: "food",
    currency: opts.currency,
    rate: "",
    notes: "",
    mode: opts.mode ?? "itemized",
    multiPayer: false,
    payerId: opts.myMemberId,
    payerAmounts: {},
    total: "",
    memberIds: [...opts.memberIds],
    memberValues: {},
    items: [emptyItem()],
    charges: { discount: "", discount_percent: "", service_percent: "", tax_percent: "", tip: "" },
    version: null,
  };
}

// --- exact itemized arithmetic ---------------------------------------------------------------

/** n / d rounded half away from zero (d > 0). */
export function roundHalfUpDiv(n: bigint, d: bigint): bigint {
  if (d <= 0n) throw new Error("denominator must be positive");
  const magnitude = (2n * (n < 0n ? -n : n) + d) / (2n * d);
  return n < 0n ? -magnitude : magnitude;
}

/** amount x percent / 100, rounded half-up once; `percent` is a canonical decimal ("12.5"). */
export function percentOf(amount: bigint, percent: string): bigint {
  const m = /^([0-9]+)(?:\.([0-9]+))?$/.exec(percent);
  if (!m) throw new Error(`Not a percent: ${JSON.stringify(percent)}`);
  const frac = m[2] ?? "";
  const numerator = BigInt((m[1] ?? "0") + frac);
  const denominator = 10n ** BigInt(frac.length);
  return roundHalfUpDiv(amount * numerator, denominator * 100n);
}

export interface ItemizedTotals {
  subtotal: bigint;
  discount: bigint;
  service: bigint;
  tax: bigint;
  tip: bigint;
  total: bigint;
}

/** Discount off the items (amount + percent of the subtotal), service % of the discounted
 * subtotal, tax % of (discounted + service), then the tip. All in minor units. */
export function itemizedTotals(
  items: readonly { quantity: number; unit_price: string }[],
  charges: Record<ChargeField, string>,
  currency: string,
): ItemizedTotals {
  let subtotal = 0n;
  for (const item of items) subtotal += toMinor(item.unit_price, currency) * BigInt(item.quantity);
  const discount = toMinor(charges.discount, currency) + percentOf(subtotal, charges.discount_percent);
  const discounted = subtotal - discount;
  const service = percentOf(discounted, charges.service_percent);
  const tax = percentOf(discounted + service, charges.tax_percent);
  const tip = toMinor(charges.tip, currency);
  return { subtotal, discount, service, tax, tip, total: discounted + service + tax + tip };
}

// --- draft -> body ---------------------------------------------------------------------------

function parseQuantity(text: string): number | null {
  const t = text.trim();
  if (!/^[0-9]{1,4}$/.test(t)) return null;
  const n = Number(t);
  return n >= 1 ? n : null;
}

function isBlankItem(item: ItemDraft): boolean {
  return item.name.trim() === "" && item.unitPrice.trim() === "";
}

/** Which draft row each body array index came from (blank rows are skipped in the body). */
export interface RowMaps {
  items: string[];
  members: number[];
  payers: number[];
}

export interface BuildResult {
  body: BillBody | null;
  issues: Issues;
  rows: RowMaps;
  /** The bill's total in its own currency when it could be worked out (for hints). */
  total: string | null;
  itemized: ItemizedTotals | null;
}

/**
 * Translate the draft into the API body. `body` is null when something is missing or
 * malformed; `issues` then says what and where (API paths).
 */
export function buildBillBody(
  draft: BillDraft,
  ctx: { locale: Locale; groupCurrency: string },
): BuildResult {
  const issues: Issues = {};
  const rows: RowMaps = { items: [], members: [], payers: [] };
  const { locale } = ctx;
  const currency = draft.currency;
  const foreign = currency !== ctx.groupCurrency;

  const amount = (text: string, path: string, opts: { required: boolean; allowZero?: boolean }): string | null => {
    if (text.trim() === "") {
      if (opts.required) issues[path] = { code: "required", kind: "amount", currency };
      return opts.required ? null : "0";
    }
    const r = parseAmount(text, { locale, currency, allowZero: opts.allowZero ?? true });
    if (!r.ok) {
      issues[path] = { code: r.error, kind: "amount", currency };
      return null;
    }
    return r.value;
  };
  const decimal = (
    text: string,
    path: string,
    kind: "percent" | "shares" | "rate",
    required: boolean,
  ): string | null => {
    if (text.trim() === "") {
      if (required) issues[path] = { code: "required", kind };
      return required ? null : "0";
    }
    const parse = kind === "percent" ? parsePercent : kind === "shares" ? parseShares : parseRate;
    const r = parse(text, locale);
    if (!r.ok) {
      issues[path] = { code: r.error, kind };
      return null;
    }
    return r.value;
  };

  const title = draft.title.trim();
  if (!title) issues.title = { code: "required", kind: "text" };

  let exchangeRate: string | null = null;
  if (foreign) exchangeRate = decimal(draft.rate, "exchange_rate", "rate", true);

  const split: BillBody["split"] = { mode: draft.mode };
  let total: string | null = null;
  let itemized: ItemizedTotals | null = null;

  if (draft.mode === "itemized") {
    const items: NonNullable<BillBody["split"]["items"]> = [];
    let itemsOk = true;
    draft.items.forEach((item, index) => {
      if (isBlankItem(item)) return;
      const i = items.length;
      rows.items.push(item.key);
      const base = `split.items.${i}`;
      const name = item.name.trim();
      if (!name) {
        issues[`${base}.name`] = { code: "required", kind: "text" };
        itemsOk = false;
      }
      const quantity = parseQuantity(item.quantity);
      if (quantity === null) {
        issues[`${base}.quantity`] = { code: "quantity", kind: "quantity" };
        itemsOk = false;
      }
      const price = amount(item.unitPrice, `${base}.unit_price`, { required: true });
      if (price === null) itemsOk = false;
      if (item.memberIds.length === 0) {
        issues[`${base}.member_ids`] = { code: "no_members" };
        itemsOk = false;
      }
      void index;
      items.push({ name, quantity: quantity ?? 1, unit_price: price ?? "0", member_ids: [...item.memberIds].sort((a, b) => a - b) });
    });
    if (items.length === 0) {
      issues["split.items"] = { code: "no_items" };
      itemsOk = false;
    }
    const charges = {} as Record<ChargeField, string>;
    let chargesOk = true;
    for (const field of CHARGE_FIELDS) {
      const path = `split.charges.${field}`;
      const text = draft.charges[field];
      const value =
        field === "discount" || field === "tip"
          ? amount(text, path, { required: false })
          : decimal(text, path, "percent", false);
      if (value === null) chargesOk = false;
      charges[field] = value ?? "0";
    }
    split.items = items;
    split.charges = charges;
    if (itemsOk && chargesOk) {
      itemized = itemizedTotals(items as { quantity: number; unit_price: string }[], charges, currency);
      if (itemized.total > 0n) total = fromMinor(itemized.total, currency);
    }
  } else {
    const members: NonNullable<BillBody["split"]["members"]> = [];
    if (draft.mode === "equal") {
      for (const id of [...draft.memberIds].sort((a, b) => a - b)) {
        rows.members.push(id);
        members.push({ member_id: id });
      }
      if (members.length === 0) issues["split.members"] = { code: "no_members" };
    } else {
      let sum = 0n;
      let allOk = true;
      const ids = Object.keys(draft.memberValues)
        .map(Number)
        .sort((a, b) => a - b);
      ids.forEach((id) => {
        const text = draft.memberValues[id] ?? "";
        if (text.trim() === "") return;
        const path = `split.members.${members.length}.value`;
        rows.members.push(id);
        const value =
          draft.mode === "exact"
            ? amount(text, path, { required: true })
            : decimal(text, path, draft.mode === "percent" ? "percent" : "shares", true);
        if (value === null) allOk = false;
        else if (draft.mode === "exact") sum += toMinor(value, currency);
        members.push({ member_id: id, value: value ?? "0" });
      });
      if (members.length === 0) issues["split.members"] = { code: "no_members" };
      if (draft.mode === "exact" && draft.total.trim() === "" && allOk && sum > 0n) {
        total = fromMinor(sum, currency); // the total of an exact split defaults to the sum
      }
    }
    split.members = members;
    if (total === null) total = amount(draft.total, "total", { required: true, allowZero: false });
  }

  // Payers, in the bill's currency.
  const payers: BillBody["payers"] = [];
  if (draft.multiPayer) {
    const ids = Object.keys(draft.payerAmounts)
      .map(Number)
      .sort((a, b) => a - b);
    for (const id of ids) {
      const text = draft.payerAmounts[id] ?? "";
      if (text.trim() === "") continue;
      rows.payers.push(id);
      const value = amount(text, `payers.${payers.length}.amount`, { required: true, allowZero: false });
      payers.push({ member_id: id, amount: value ?? "0" });
    }
    if (payers.length === 0) issues.payers = { code: "no_payer" };
    else if (total !== null && !Object.keys(issues).some((k) => k.startsWith("payers."))) {
      const paid = payers.reduce((acc, p) => acc + toMinor(p.amount, currency), 0n);
      if (paid !== toMinor(total, currency)) issues.payers = { code: "payers_mismatch", currency };
    }
  } else if (draft.payerId === null) {
    issues.payers = { code: "no_payer" };
  } else if (total !== null) {
    rows.payers.push(draft.payerId);
    payers.push({ member_id: draft.payerId, amount: total });
  }

  const body: BillBody = {
    title,
    date: draft.date || null,
    currency,
    exchange_rate: foreign ? exchangeRate : null,
    category: draft.category,
    notes: draft.notes.trim(),
    payers,
    split,
    ...(draft.mode === "itemized" ? {} : { total }),
    ...(draft.version !== null ? { version: draft.version } : {}),
  };
  const ok = Object.keys(issues).length === 0 && total !== null && payers.length > 0;
  return { body: ok ? body : null, issues, rows, total, itemized };
}

/**
 * Translate an API path (which indexes the body's arrays) into the form's own path, which names
 * the draft row: "split.items.1.unit_price" -> "item:<key>.unit_price",
 * "split.members.0.value" -> "member:<id>", "payers.2.amount" -> "payer:<id>". Paths without
 * an index come back unchanged; an index the maps don't know is left as is.
 */
export function toFormPath(path: string, rows: RowMaps): string {
  let m = /^split\.items\.(\d+)(\..+)?$/.exec(path);
  if (m) {
    const key = rows.items[Number(m[1])];
    return key ? `item:${key}${m[2] ?? ""}` : path;
  }
  m = /^split\.members\.(\d+)(\..+)?$/.exec(path);
  if (m) {
    const id = rows.members[Number(m[1])];
    return id !== undefined ? (m[2] === ".value" ? `member:${id}` : `member:${id}${m[2] ?? ""}`) : path;
  }
  m = /^payers\.(\d+)(\..+)?$/.exec(path);
  if (m) {
    const id = rows.payers[Number(m[1])];
    return id !== undefined ? (m[2] === ".amount" ? `payer:${id}` : `payer:${id}${m[2] ?? ""}`) : path;
  }
  return path;
}

// --- bill -> draft (editing) -----------------------------------------------------------------

export interface BillForEdit {
  title: string;
  date: string;
  category: Category;
  notes: string;
  currency: string;
  exchange_rate: string | null;
  original_total: string;
  payers: { member_id: number; original_amount: string }[];
  split: {
    mode: SplitMode;
    members: { member_id: number; value?: string | null }[];
    items: { name: string; quantity: number; unit_price: string; member_ids: number[] }[];
    charges: Record<ChargeField, string>;
  };
  version: number;
}

export function draftFromBill(bill: BillForEdit, locale: Locale): BillDraft {
  const cur = bill.currency;
  const money = (v: string) => formatAmountInput(v, cur, locale);
  const zeroBlank = (v: string, f: (x: string) => string) => (/^[0.]*$/.test(v) ? "" : f(v));
  const multi = bill.payers.length > 1;
  const memberValues: Record<number, string> = {};
  if (bill.split.mode === "exact" || bill.split.mode === "percent" || bill.split.mode === "shares") {
    for (const m of bill.split.members) {
      if (m.value == null) continue;
      memberValues[m.member_id] = bill.split.mode === "exact" ? money(m.value) : formatDecimalInput(m.value, locale);
    }
  }
  return {
    title: bill.title,
    date: bill.date,
    category: bill.category,
    currency: cur,
    rate: bill.exchange_rate ? formatDecimalInput(bill.exchange_rate, locale) : "",
    notes: bill.notes,
    mode: bill.split.mode,
    multiPayer: multi,
    payerId: bill.payers[0]?.member_id ?? null,
    payerAmounts: multi ? Object.fromEntries(bill.payers.map((p) => [p.member_id, money(p.original_amount)])) : {},
    total: bill.split.mode === "itemized" ? "" : money(bill.original_total),
    memberIds: bill.split.mode === "equal" ? bill.split.members.map((m) => m.member_id) : [],
    memberValues,
    items:
      bill.split.mode === "itemized"
        ? bill.split.items.map((item) => ({
            key: newItemKey(),
            name: item.name,
            quantity: String(item.quantity),
            unitPrice: money(item.unit_price),
            memberIds: [...item.member_ids],
          }))
        : [emptyItem()],
    charges: {
      discount: zeroBlank(bill.split.charges.discount, money),
      discount_percent: zeroBlank(bill.split.charges.discount_percent, (v) => formatDecimalInput(v, locale)),
      service_percent: zeroBlank(bill.split.charges.service_percent, (v) => formatDecimalInput(v, locale)),
      tax_percent: zeroBlank(bill.split.charges.tax_percent, (v) => formatDecimalInput(v, locale)),
      tip: zeroBlank(bill.split.charges.tip, money),
    },
    version: bill.version,
  };
}
