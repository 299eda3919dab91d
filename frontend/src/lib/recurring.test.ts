import { describe, expect, it } from "vitest";

import { billFieldPaths, recurringBodyFromBill, recurringPatch, templateForEdit, type RecurringOut } from "./recurring";

const bill = {
  title: "Sewa",
  category: "lodging" as const,
  notes: "",
  date: "2027-01-31",
  payers: [{ member_id: 1, amount: "3000000" }],
  split: { mode: "equal" as const, members: [{ member_id: 1 }, { member_id: 2 }] },
  total: "3000000",
};

describe("recurringBodyFromBill", () => {
  it("takes the bill's date as the start date and drops the currency", () => {
    const body = recurringBodyFromBill({ ...bill, currency: "USD" } as typeof bill, "monthly", "2026-12-01");
    expect(body).toEqual({
      title: "Sewa",
      category: "lodging",
      notes: "",
      payers: bill.payers,
      split: bill.split,
      total: "3000000",
      interval: "monthly",
      start_date: "2027-01-31",
    });
  });

  it("falls back to the given date", () => {
    expect(recurringBodyFromBill({ ...bill, date: null }, "weekly", "2026-12-01").start_date).toBe("2026-12-01");
  });
});

describe("recurringPatch", () => {
  const before = recurringBodyFromBill(bill, "monthly", "");
  it("sends only what changed", () => {
    expect(recurringPatch(before, { ...before, title: "Kos" })).toEqual({ title: "Kos" });
    expect(recurringPatch(before, before)).toEqual({});
  });
  it("sends payers, split and total together", () => {
    const after = { ...before, total: "4000000", payers: [{ member_id: 1, amount: "4000000" }] };
    expect(recurringPatch(before, after)).toEqual({ total: "4000000", payers: after.payers, split: before.split });
  });
});

describe("billFieldPaths", () => {
  it("maps the start date to the form's date and keeps the bill paths", () => {
    expect(billFieldPaths({ start_date: ["bad"], "payers.0.amount": ["x"] })).toEqual({ date: ["bad"], "payers.0.amount": ["x"] });
  });
});

describe("templateForEdit", () => {
  it("is a bill in the group currency starting on the start date", () => {
    const t = {
      title: "Sewa",
      category: "lodging",
      notes: "",
      currency: "IDR",
      total: "3000000",
      start_date: "2027-01-31",
      payers: [{ member_id: 1, amount: "3000000" }],
      split: { mode: "equal", members: [{ member_id: 1, value: null }], items: [], charges: { discount: "0", discount_percent: "0", service_percent: "0", tax_percent: "0", tip: "0" } },
    } as unknown as RecurringOut;
    const edit = templateForEdit(t);
    expect(edit.date).toBe("2027-01-31");
    expect(edit.exchange_rate).toBeNull();
    expect(edit.payers).toEqual([{ member_id: 1, original_amount: "3000000" }]);
  });
});
