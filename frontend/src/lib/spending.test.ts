import { describe, expect, it } from "vitest";

import { layoutBars, monthLabel, monthsBack, niceCeiling, type SpendingMonth } from "./spending";

describe("niceCeiling", () => {
  it("rounds up to 1, 2 or 5 times a power of ten", () => {
    expect(niceCeiling(0n)).toBe(1n);
    expect(niceCeiling(7n)).toBe(10n);
    expect(niceCeiling(110_000n)).toBe(200_000n);
    expect(niceCeiling(200_000n)).toBe(200_000n);
    expect(niceCeiling(3_000_001n)).toBe(5_000_000n);
    expect(niceCeiling(90_000_000_000_000_001n)).toBe(100_000_000_000_000_000n);
  });
});

describe("layoutBars", () => {
  const months = [
    { month: "2026-10", total: "90000", categories: [{ category: "food", amount: "90000" }] },
    {
      month: "2026-11",
      total: "110000",
      categories: [
        { category: "groceries", amount: "60000" },
        { category: "transport", amount: "50000" },
      ],
    },
    { month: "2026-12", total: "0", categories: [] },
  ] as SpendingMonth[];

  it("stacks each month's categories bottom-up against a round top", () => {
    const { bars, top } = layoutBars(months, "IDR", 300, 200);
    expect(top).toBe(200_000n);
    expect(bars).toHaveLength(3);
    const [, nov, dec] = bars;
    expect(nov!.segments.map((s) => s.category)).toEqual(["groceries", "transport"]);
    expect(nov!.segments[0]!.height).toBeCloseTo(60);
    expect(nov!.segments[0]!.y).toBeCloseTo(140);
    expect(nov!.segments[1]!.y).toBeCloseTo(90);
    expect(dec!.segments).toEqual([]);
    expect(bars[0]!.x).toBeLessThan(nov!.x);
  });

  it("works with cents", () => {
    const { top, bars } = layoutBars([{ month: "2026-11", total: "12.50", categories: [{ category: "food", amount: "12.50" }] }] as SpendingMonth[], "USD", 100, 100);
    expect(top).toBe(2000n);
    expect(bars[0]!.segments[0]!.height).toBeCloseTo(62.5);
  });
});

describe("months", () => {
  it("labels months and goes back whole months", () => {
    expect(monthLabel("2026-11", "en", false)).toBe("Nov");
    expect(monthLabel("2026-01", "id", true)).toMatch(/Jan/);
    expect(monthsBack("2026-12-03", 12)).toBe("2026-01-01");
    expect(monthsBack("2026-03-31", 6)).toBe("2025-10-01");
  });
});
