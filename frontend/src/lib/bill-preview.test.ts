import { describe, expect, it } from "vitest";

import { buildBillBody, newDraft, type BillDraft } from "./bill";
import { previewFromDraft } from "./bill-preview";
import { computeSplit } from "./split";

const A = 11;
const B = 12;
const C = 13;
const ctx = { locale: "id" as const, groupCurrency: "IDR", fallbackPayer: A };

function dinner(overrides: Partial<BillDraft> = {}): BillDraft {
  const d = newDraft({ currency: "IDR", myMemberId: A, memberIds: [A, B, C], now: new Date(2026, 10, 20) });
  return {
    ...d,
    title: "Makan malam",
    items: [
      { key: "1", name: "Sate", quantity: "2", unitPrice: "35.000", memberIds: [B, A] },
      { key: "2", name: "Nasi goreng", quantity: "1", unitPrice: "48.000", memberIds: [C] },
      { key: "3", name: "Es teh", quantity: "1", unitPrice: "22.000", memberIds: [A] },
    ],
    charges: { discount: "10.000", discount_percent: "", service_percent: "5", tax_percent: "10", tip: "" },
    ...overrides,
  };
}

const shares = (o: ReturnType<typeof previewFromDraft>) =>
  o.ok ? Object.fromEntries(o.preview.shares.map((s) => [s.member_id, s.amount])) : o.reason;

describe("previewFromDraft", () => {
  it("shows a complete bill exactly as computeSplit does for the body that will be sent", () => {
    const draft = dinner();
    const body = buildBillBody(draft, ctx).body!;
    const direct = computeSplit(body, { groupCurrency: "IDR" });
    if (!direct.ok) throw new Error(direct.reason);
    const preview = previewFromDraft(draft, ctx);
    expect(preview.ok && preview.preview.partial).toBe(false);
    expect(preview.ok && preview.preview.total).toBe("150150");
    expect(shares(preview)).toEqual(Object.fromEntries([...direct.result.shares].map(([id, v]) => [id, String(v)])));
  });

  it("leaves out an item nobody ticked and one still being typed, and says the preview is partial", () => {
    const draft = dinner();
    draft.items.push({ key: "4", name: "Kerupuk", quantity: "1", unitPrice: "5.000", memberIds: [] });
    draft.items.push({ key: "5", name: "Jus", quantity: "1", unitPrice: "12,3,4", memberIds: [B] });
    const preview = previewFromDraft(draft, ctx);
    if (!preview.ok) throw new Error(preview.reason);
    expect(preview.preview.partial).toBe(true);
    expect(preview.preview.original_total).toBe("150150"); // the same as without the two rows
  });

  it("still splits when the payers do not add up yet", () => {
    const draft = dinner({ multiPayer: true, payerAmounts: { [A]: "100.000", [B]: "1.000" } });
    const preview = previewFromDraft(draft, ctx);
    if (!preview.ok) throw new Error(preview.reason);
    expect(preview.preview.partial).toBe(true);
    expect(preview.preview.shares.map((s) => s.member_id)).toEqual([A, B, C]);
  });

  it("splits an equal bill as soon as it has a total, without a title", () => {
    const draft = dinner({ mode: "equal", title: "", total: "100.000" });
    const preview = previewFromDraft(draft, ctx);
    if (!preview.ok) throw new Error(preview.reason);
    expect(preview.preview.shares.map((s) => s.amount).sort()).toEqual(["33333", "33333", "33334"]);
  });

  it("says why percents cannot be split yet", () => {
    const draft = dinner({ mode: "percent", total: "100.000", memberValues: { [A]: "50", [B]: "30" } });
    expect(previewFromDraft(draft, ctx)).toEqual({ ok: false, reason: "percent_sum" });
  });

  it("needs a rate for a foreign bill", () => {
    const draft = dinner({ currency: "USD", items: [{ key: "1", name: "x", quantity: "1", unitPrice: "2,00", memberIds: [A] }], charges: dinner().charges });
    expect(previewFromDraft({ ...draft, charges: { ...draft.charges, discount: "" } }, ctx)).toEqual({ ok: false, reason: "exchange_rate" });
  });
});
