import { describe, expect, it } from "vitest";

import { buildBillBody, draftFromBill, itemizedTotals, newDraft, percentOf, roundHalfUpDiv, toFormPath, type BillDraft } from "./bill";

const A = 11;
const B = 12;
const C = 13;

function dinner(overrides: Partial<BillDraft> = {}): BillDraft {
  const d = newDraft({ currency: "IDR", myMemberId: A, memberIds: [A, B, C], now: new Date(2026, 10, 20) });
  return {
    ...d,
    title: "Makan malam",
    items: [
      { key: "1", name: "Sate", quantity: "2", unitPrice: "35.000", memberIds: [B, A] },
      { key: "2", name: "Nasi goreng", quantity: "1", unitPrice: "48.000", memberIds: [C] },
      { key: "3", name: "Es teh", quantity: "1", unitPrice: "22.000", memberIds: [A] },
      { key: "4", name: "", quantity: "1", unitPrice: "", memberIds: [] },
    ],
    charges: { discount: "10.000", discount_percent: "", service_percent: "5", tax_percent: "10", tip: "" },
    ...overrides,
  };
}

describe("rounding", () => {
  it("rounds halves away from zero", () => {
    expect(roundHalfUpDiv(5n, 2n)).toBe(3n);
    expect(roundHalfUpDiv(-5n, 2n)).toBe(-3n);
    expect(roundHalfUpDiv(4n, 3n)).toBe(1n);
    expect(percentOf(136500n, "10")).toBe(13650n);
    expect(percentOf(1n, "50")).toBe(1n);
    expect(percentOf(333n, "2.5")).toBe(8n); // 8.325
    expect(percentOf(130000n, "0")).toBe(0n);
  });
});

describe("itemizedTotals", () => {
  it("computes the Indonesian dinner: Rp150.150", () => {
    const t = itemizedTotals(
      [
        { quantity: 2, unit_price: "35000" },
        { quantity: 1, unit_price: "48000" },
        { quantity: 1, unit_price: "22000" },
      ],
      { discount: "10000", discount_percent: "0", service_percent: "5", tax_percent: "10", tip: "0" },
      "IDR",
    );
    expect(t).toEqual({ subtotal: 140000n, discount: 10000n, service: 6500n, tax: 13650n, tip: 0n, total: 150150n });
  });
  it("applies a percent discount on the subtotal and the tip last", () => {
    const t = itemizedTotals(
      [{ quantity: 3, unit_price: "9.99" }],
      { discount: "1.00", discount_percent: "10", service_percent: "0", tax_percent: "7.5", tip: "2.00" },
      "USD",
    );
    // subtotal 29.97, discount 1.00 + 3.00 (2.997 -> 3.00), discounted 25.97, tax 1.95 (1.94775)
    expect(t.discount).toBe(400n);
    expect(t.tax).toBe(195n);
    expect(t.total).toBe(2597n + 195n + 200n);
  });
});

describe("buildBillBody", () => {
  it("turns the typed receipt into the API body, the single payer paying the computed total", () => {
    const { body, issues, total } = buildBillBody(dinner(), { locale: "id", groupCurrency: "IDR" });
    expect(issues).toEqual({});
    expect(total).toBe("150150");
    expect(body).toEqual({
      title: "Makan malam",
      date: "2026-11-20",
      currency: "IDR",
      exchange_rate: null,
      category: "food",
      notes: "",
      payers: [{ member_id: A, amount: "150150" }],
      split: {
        mode: "itemized",
        items: [
          { name: "Sate", quantity: 2, unit_price: "35000", member_ids: [A, B] },
          { name: "Nasi goreng", quantity: 1, unit_price: "48000", member_ids: [C] },
          { name: "Es teh", quantity: 1, unit_price: "22000", member_ids: [A] },
        ],
        charges: { discount: "10000", discount_percent: "0", service_percent: "5", tax_percent: "10", tip: "0" },
      },
    });
  });

  it("keys every problem by the API's path", () => {
    const draft = dinner({ title: " " });
    draft.items[0] = { ...draft.items[0]!, unitPrice: "35,5" };
    draft.items[1] = { ...draft.items[1]!, memberIds: [], quantity: "0" };
    draft.charges.tax_percent = "abc";
    const { body, issues } = buildBillBody(draft, { locale: "id", groupCurrency: "IDR" });
    expect(body).toBeNull();
    expect(issues).toEqual({
      title: { code: "required", kind: "text" },
      "split.items.0.unit_price": { code: "too_many_decimals", kind: "amount", currency: "IDR" },
      "split.items.1.quantity": { code: "quantity", kind: "quantity" },
      "split.items.1.member_ids": { code: "no_members" },
      "split.charges.tax_percent": { code: "invalid", kind: "percent" },
    });
  });

  it("needs a rate for a bill in another currency", () => {
    const d = dinner({ currency: "USD", items: [{ key: "x", name: "Pizza", quantity: "1", unitPrice: "20", memberIds: [A, B] }] });
    d.charges = { discount: "", discount_percent: "", service_percent: "", tax_percent: "", tip: "" };
    expect(buildBillBody(d, { locale: "en", groupCurrency: "IDR" }).issues).toEqual({
      exchange_rate: { code: "required", kind: "rate" },
    });
    const ok = buildBillBody({ ...d, rate: "16,250.5" }, { locale: "en", groupCurrency: "IDR" });
    expect(ok.body?.exchange_rate).toBe("16250.5");
    expect(ok.body?.payers).toEqual([{ member_id: A, amount: "20.00" }]);
  });

  it("builds equal, exact, percent and shares splits", () => {
    const base = dinner();
    const equal = buildBillBody({ ...base, mode: "equal", total: "90.000", memberIds: [C, A] }, { locale: "id", groupCurrency: "IDR" });
    expect(equal.body?.split).toEqual({ mode: "equal", members: [{ member_id: A }, { member_id: C }] });
    expect(equal.body?.total).toBe("90000");
    expect(equal.body?.payers).toEqual([{ member_id: A, amount: "90000" }]);

    const exact = buildBillBody(
      { ...base, mode: "exact", total: "", memberValues: { [A]: "40.000", [B]: "", [C]: "10.000" } },
      { locale: "id", groupCurrency: "IDR" },
    );
    expect(exact.body?.total).toBe("50000"); // defaults to the sum
    expect(exact.body?.split.members).toEqual([
      { member_id: A, value: "40000" },
      { member_id: C, value: "10000" },
    ]);

    const percent = buildBillBody(
      { ...base, mode: "percent", total: "100.000", memberValues: { [A]: "33,5", [B]: "66,5" } },
      { locale: "id", groupCurrency: "IDR" },
    );
    expect(percent.body?.split.members).toEqual([
      { member_id: A, value: "33.5" },
      { member_id: B, value: "66.5" },
    ]);

    const shares = buildBillBody(
      { ...base, mode: "shares", total: "100,000", memberValues: { [A]: "2", [B]: "1" } },
      { locale: "en", groupCurrency: "IDR" },
    );
    expect(shares.body?.split.members).toEqual([
      { member_id: A, value: "2" },
      { member_id: B, value: "1" },
    ]);
  });

  it("checks several payers add up to the total", () => {
    const d = dinner({ multiPayer: true, payerAmounts: { [A]: "100.000", [B]: "50.000" } });
    expect(buildBillBody(d, { locale: "id", groupCurrency: "IDR" }).issues).toEqual({
      payers: { code: "payers_mismatch", currency: "IDR" },
    });
    const ok = buildBillBody({ ...d, payerAmounts: { [A]: "100.000", [B]: "50.150" } }, { locale: "id", groupCurrency: "IDR" });
    expect(ok.body?.payers).toEqual([
      { member_id: A, amount: "100000" },
      { member_id: B, amount: "50150" },
    ]);
  });

  it("round-trips a saved bill through the edit form", () => {
    const first = buildBillBody(dinner(), { locale: "id", groupCurrency: "IDR" }).body!;
    const saved = {
      title: first.title,
      date: "2026-11-20",
      category: "food" as const,
      notes: "",
      currency: "IDR",
      exchange_rate: null,
      original_total: "150150",
      payers: [{ member_id: A, original_amount: "150150" }],
      split: {
        mode: "itemized" as const,
        members: [],
        items: first.split.items!.map((i) => ({ ...i, quantity: i.quantity ?? 1 })),
        charges: { discount: "10000", discount_percent: "0", service_percent: "5", tax_percent: "10", tip: "0" },
      },
      version: 3,
    };
    for (const locale of ["id", "en"] as const) {
      const again = buildBillBody(draftFromBill(saved, locale), { locale, groupCurrency: "IDR" });
      expect(again.body).toEqual({ ...first, version: 3 });
    }
  });
});

describe("toFormPath", () => {
  it("names the draft row an API path points at, skipping blank rows", () => {
    const draft = dinner();
    draft.items.splice(1, 0, { key: "blank", name: "", quantity: "1", unitPrice: "", memberIds: [] });
    const { rows } = buildBillBody(draft, { locale: "id", groupCurrency: "IDR" });
    expect(rows.items).toEqual(["1", "2", "3"]);
    expect(toFormPath("split.items.1.unit_price", rows)).toBe("item:2.unit_price");
    expect(toFormPath("split.items.1", rows)).toBe("item:2");
    expect(toFormPath("split.items.9.name", rows)).toBe("split.items.9.name");
    expect(toFormPath("payers.0.amount", rows)).toBe(`payer:${A}`);
    expect(toFormPath("title", rows)).toBe("title");
  });
  it("maps member values by member id", () => {
    const { rows } = buildBillBody(
      { ...dinner(), mode: "shares", total: "10", memberValues: { [C]: "1", [A]: "", [B]: "2" } },
      { locale: "id", groupCurrency: "IDR" },
    );
    expect(rows.members).toEqual([B, C]);
    expect(toFormPath("split.members.1.value", rows)).toBe(`member:${C}`);
    expect(toFormPath("split.members.0.member_id", rows)).toBe(`member:${B}.member_id`);
  });
});
