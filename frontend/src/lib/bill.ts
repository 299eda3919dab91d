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

/** The draft being read: where problems are collected, and how numbers are written. */
interface Reader {
  issues: Issues;
  rows: RowMaps;
  locale: Locale;
  /** The bill's own currency. */
  currency: string;
}

/** A typed amount as the API's decimal string; blank is "0" unless required. Null when wrong. */
function readAmount(r: Reader, text: string, path: string, opts: { required: boolean; allowZero?: boolean }): string | null {
  const { currency } = r;
  if (text.trim() === "") {
    if (opts.required) r.issues[path] = { code: "required", kind: "amount", currency };
    return opts.required ? null : "0";
  }
  const parsed = parseAmount(text, { locale: r.locale, currency, allowZero: opts.allowZero ?? true });
  if (!parsed.ok) {
    r.issues[path] = { code: parsed.error, kind: "amount", currency };
    return null;
  }
  return parsed.value;
}

/** A typed percent, share count or exchange rate as a decimal string (blank: "0" unless required). */
function readDecimal(r: Reader, text: string, path: string, kind: "percent" | "shares" | "rate", required: boolean): string | null {
  if (text.trim() === "") {
    if (required) r.issues[path] = { code: "required", kind };
    return required ? null : "0";
  }
  const parse = kind === "percent" ? parsePercent : kind === "shares" ? parseShares : parseRate;
  const parsed = parse(text, r.locale);
  if (!parsed.ok) {
    r.issues[path] = { code: parsed.error, kind };
    return null;
  }
  return parsed.value;
}

/** An item as sent: the quantity is always set (1 when the field is wrong). */
type ItemBody = NonNullable<BillBody["split"]["items"]>[number] & { quantity: number };

/** The receipt's non-blank rows, in order; `ok` is false when any of them has a problem. */
function readItems(r: Reader, draft: BillDraft): { items: ItemBody[]; ok: boolean } {
  const items: ItemBody[] = [];
  let ok = true;
  for (const item of draft.items) {
    if (isBlankItem(item)) continue;
    r.rows.items.push(item.key);
    const base = `split.items.${items.length}`;
    const name = item.name.trim();
    if (!name) {
      r.issues[`${base}.name`] = { code: "required", kind: "text" };
      ok = false;
    }
    const quantity = parseQuantity(item.quantity);
    if (quantity === null) {
      r.issues[`${base}.quantity`] = { code: "quantity", kind: "quantity" };
      ok = false;
    }
    const price = readAmount(r, item.unitPrice, `${base}.unit_price`, { required: true });
    if (price === null) ok = false;
    if (item.memberIds.length === 0) {
      r.issues[`${base}.member_ids`] = { code: "no_members" };
      ok = false;
    }
    items.push({ name, quantity: quantity ?? 1, unit_price: price ?? "0", member_ids: [...item.memberIds].sort((a, b) => a - b) });
  }
  if (items.length === 0) {
    r.issues["split.items"] = { code: "no_items" };
    ok = false;
  }
  return { items, ok };
}

/** Discount, service, tax and tip; a blank one is "0". */
function readCharges(r: Reader, draft: BillDraft): { charges: Record<ChargeField, string>; ok: boolean } {
  const charges = {} as Record<ChargeField, string>;
  let ok = true;
  for (const field of CHARGE_FIELDS) {
    const path = `split.charges.${field}`;
    const text = draft.charges[field];
    const value =
      field === "discount" || field === "tip" ? readAmount(r, text, path, { required: false }) : readDecimal(r, text, path, "percent", false);
    if (value === null) ok = false;
    charges[field] = value ?? "0";
  }
  return { charges, ok };
}

interface SplitRead {
  split: BillBody["split"];
  /** The bill's total in its own currency, when it could be worked out. */
  total: string | null;
  itemized: ItemizedTotals | null;
}

/** Items and charges; the total is computed as the API will (when every row is right). */
function readItemizedSplit(r: Reader, draft: BillDraft): SplitRead {
  const { items, ok: itemsOk } = readItems(r, draft);
  const { charges, ok: chargesOk } = readCharges(r, draft);
  let total: string | null = null;
  let itemized: ItemizedTotals | null = null;
  if (itemsOk && chargesOk) {
    itemized = itemizedTotals(items, charges, r.currency);
    if (itemized.total > 0n) total = fromMinor(itemized.total, r.currency);
  }
  return { split: { mode: draft.mode, items, charges }, total, itemized };
}

/** The non-blank values typed per member, in member id order (the body's order). */
function typedByMember(values: Record<number, string>): [number, string][] {
  return Object.keys(values)
    .map(Number)
    .sort((a, b) => a - b)
    .map((id): [number, string] => [id, values[id] ?? ""])
    .filter(([, text]) => text.trim() !== "");
}

type MemberBody = NonNullable<BillBody["split"]["members"]>[number];

/** Equal: who shares it. Exact / percent / shares: each member's typed value (blank ones skipped). */
function readMembers(r: Reader, draft: BillDraft): { members: MemberBody[]; exactSum: bigint | null } {
  const members: MemberBody[] = [];
  if (draft.mode === "equal") {
    for (const id of [...draft.memberIds].sort((a, b) => a - b)) {
      r.rows.members.push(id);
      members.push({ member_id: id });
    }
    if (members.length === 0) r.issues["split.members"] = { code: "no_members" };
    return { members, exactSum: null };
  }
  let sum = 0n;
  let allOk = true;
  for (const [id, text] of typedByMember(draft.memberValues)) {
    const path = `split.members.${members.length}.value`;
    r.rows.members.push(id);
    const value =
      draft.mode === "exact"
        ? readAmount(r, text, path, { required: true })
        : readDecimal(r, text, path, draft.mode === "percent" ? "percent" : "shares", true);
    if (value === null) allOk = false;
    else if (draft.mode === "exact") sum += toMinor(value, r.currency);
    members.push({ member_id: id, value: value ?? "0" });
  }
  if (members.length === 0) r.issues["split.members"] = { code: "no_members" };
  return { members, exactSum: draft.mode === "exact" && allOk ? sum : null };
}

/** A split by member: the typed total, or for an exact split left blank, the members' sum. */
function readMemberSplit(r: Reader, draft: BillDraft): SplitRead {
  const { members, exactSum } = readMembers(r, draft);
  let total: string | null = null;
  if (draft.total.trim() === "" && exactSum !== null && exactSum > 0n) total = fromMinor(exactSum, r.currency);
  if (total === null) total = readAmount(r, draft.total, "total", { required: true, allowZero: false });
  return { split: { mode: draft.mode, members }, total, itemized: null };
}

/** Who paid, in the bill's currency: one payer pays the total; several must add up to it. */
function readPayers(r: Reader, draft: BillDraft, total: string | null): BillBody["payers"] {
  const payers: BillBody["payers"] = [];
  if (!draft.multiPayer) {
    if (draft.payerId === null) r.issues.payers = { code: "no_payer" };
    else if (total !== null) {
      r.rows.payers.push(draft.payerId);
      payers.push({ member_id: draft.payerId, amount: total });
    }
    return payers;
  }
  for (const [id, text] of typedByMember(draft.payerAmounts)) {
    r.rows.payers.push(id);
    const value = readAmount(r, text, `payers.${payers.length}.amount`, { required: true, allowZero: false });
    payers.push({ member_id: id, amount: value ?? "0" });
  }
  if (payers.length === 0) r.issues.payers = { code: "no_payer" };
  else if (total !== null && !Object.keys(r.issues).some((k) => k.startsWith("payers."))) {
    const paid = payers.reduce((acc, p) => acc + toMinor(p.amount, r.currency), 0n);
    if (paid !== toMinor(total, r.currency)) r.issues.payers = { code: "payers_mismatch", currency: r.currency };
  }
  return payers;
}

/**
 * Translate the draft into the API body. `body` is null when something is missing or
 * malformed; `issues` then says what and where (API paths).
 */
export function buildBillBody(draft: BillDraft, ctx: { locale: Locale; groupCurrency: string }): BuildResult {
  const r: Reader = { issues: {}, rows: { items: [], members: [], payers: [] }, locale: ctx.locale, currency: draft.currency };
  const foreign = draft.currency !== ctx.groupCurrency;

  const title = draft.title.trim();
  if (!title) r.issues.title = { code: "required", kind: "text" };
  const exchangeRate = foreign ? readDecimal(r, draft.rate, "exchange_rate", "rate", true) : null;
  const { split, total, itemized } = draft.mode === "itemized" ? readItemizedSplit(r, draft) : readMemberSplit(r, draft);
  const payers = readPayers(r, draft, total);

  const body: BillBody = {
    title,
    date: draft.date || null,
    currency: draft.currency,
    exchange_rate: foreign ? exchangeRate : null,
    category: draft.category,
    notes: draft.notes.trim(),
    payers,
    split,
    ...(draft.mode === "itemized" ? {} : { total }),
    ...(draft.version !== null ? { version: draft.version } : {}),
  };
  const ok = Object.keys(r.issues).length === 0 && total !== null && payers.length > 0;
  return { body: ok ? body : null, issues: r.issues, rows: r.rows, total, itemized };
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
