import { describe, expect, it } from "vitest";

import { describeActivity, type ActivityLike } from "./activity";
import { translate } from "./i18n";

const names: Record<number, string> = { 1: "Ayu", 2: "Budi" };
const ctx = (locale: "id" | "en") => ({
  t: (k: Parameters<typeof translate>[1], v?: Record<string, string | number>) => translate(locale, k, v),
  locale,
  currency: "IDR",
  memberName: (id: number | null | undefined) => (id == null ? "?" : (names[id] ?? `#${id}`)),
});
const base = { summary: "English summary", actor_name: "Ayu", target_type: "bill", target_id: 7, changes: {} };

describe("describeActivity", () => {
  it("words a new bill from its diff, in the reader's language", () => {
    const a: ActivityLike = { ...base, verb: "bill.created", changes: { title: { from: null, to: "Sate" }, total: { from: null, to: "150150" } } };
    expect(describeActivity(a, ctx("id"))).toBe("Ayu menambahkan tagihan “Sate” (Rp150.150)");
    expect(describeActivity(a, ctx("en"))).toBe("Ayu added the bill “Sate” (IDR 150,150)");
  });
  it("names the members of a payment", () => {
    const a: ActivityLike = {
      ...base,
      verb: "payment.recorded",
      target_type: "payment",
      changes: { from_member_id: { from: null, to: 2 }, to_member_id: { from: null, to: 1 }, amount: { from: null, to: "50000" } },
    };
    expect(describeActivity(a, ctx("id"))).toBe("Ayu mencatat pembayaran Budi → Ayu (Rp50.000)");
  });
  it("names the member an action is about", () => {
    expect(describeActivity({ ...base, verb: "member.added", target_type: "member", target_id: 2 }, ctx("en"))).toBe("Ayu added Budi");
  });
  it("falls back to the API's summary for what it doesn't know", () => {
    expect(describeActivity({ ...base, verb: "something.new" }, ctx("id"))).toBe("English summary");
    expect(describeActivity({ ...base, verb: "bill.created" }, ctx("id"))).toBe("English summary");
  });
});
