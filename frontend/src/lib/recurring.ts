/**
 * Recurring bills: the bill form's body to a template body and back, and the field paths the
 * API uses for a template (the bill's, plus `start_date` and `interval`).
 */

import type { Schemas } from "./api/client";
import type { BillForEdit } from "./bill";

export type RecurringIn = Schemas["RecurringIn"];
export type RecurringOut = Schemas["RecurringOut"];
export type RecurringPatchIn = Schemas["RecurringPatchIn"];
export type Interval = RecurringIn["interval"];
export const INTERVALS: readonly Interval[] = ["monthly", "weekly", "yearly"];

type BillBodyLike = Pick<Schemas["BillIn"], "title" | "category" | "notes" | "payers" | "split" | "total" | "date">;

/**
 * The template body from what the bill form built: its date is the first bill's (the schedule's
 * anchor); the currency is always the group's, so the form's currency is not sent.
 */
export function recurringBodyFromBill(body: BillBodyLike, interval: Interval, fallbackDate: string): RecurringIn {
  return {
    title: body.title,
    category: body.category,
    notes: body.notes ?? "",
    payers: body.payers,
    split: body.split,
    total: body.total ?? null,
    interval,
    start_date: body.date ?? fallbackDate,
  };
}

/** A template as the bill form edits it (lib/bill.draftFromBill). */
export function templateForEdit(t: RecurringOut): BillForEdit {
  return {
    title: t.title,
    date: t.start_date,
    category: t.category,
    notes: t.notes,
    currency: t.currency,
    exchange_rate: null,
    original_total: t.total,
    payers: t.payers.map((p) => ({ member_id: p.member_id, original_amount: p.amount })),
    split: {
      mode: t.split.mode,
      members: t.split.members,
      items: t.split.items,
      charges: t.split.charges,
    },
    version: 1,
  };
}

/** API field paths of a template to the bill form's: the start date is the form's date. */
export function billFieldPaths(fields: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [path, messages] of Object.entries(fields)) {
    const mapped = path === "start_date" ? "date" : path;
    out[mapped] = [...(out[mapped] ?? []), ...messages];
  }
  return out;
}

/** The PATCH body: only what differs from the template as loaded. */
export function recurringPatch(before: RecurringIn, after: RecurringIn): RecurringPatchIn {
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(after) as (keyof RecurringIn)[]) {
    if (JSON.stringify(after[key] ?? null) !== JSON.stringify(before[key] ?? null)) patch[key] = after[key];
  }
  // The API checks payers, split and total together: send the three whenever one changed.
  if ("payers" in patch || "split" in patch || "total" in patch) {
    patch.payers = after.payers;
    patch.split = after.split;
    patch.total = after.total;
  }
  return patch as RecurringPatchIn;
}
