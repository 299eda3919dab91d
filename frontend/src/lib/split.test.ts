import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

import type { Schemas } from "./api/client";
import { allocate, canonicalDecimal, canonicalJson, computeSplit, type SplitResult } from "./split";

/** The golden bills shared with backend/paytungan/splitting/tests/test_golden.py. */
const GOLDEN = fileURLToPath(new URL("../../../tests/golden/bills/", import.meta.url));

interface Expected {
  currency: string;
  total: number;
  paid: Record<string, number>;
  shares: Record<string, number>;
  breakdown?: Record<string, Record<string, number>> | null;
}
interface Case {
  description: string;
  group_currency: string;
  body: Schemas["BillIn"];
  expected: { original: Expected; converted?: Expected };
}

const cases = readdirSync(GOLDEN)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => [f.replace(/\.json$/, ""), JSON.parse(readFileSync(GOLDEN + f, "utf8")) as Case] as const);

const asNumbers = (m: Map<number, bigint>) => Object.fromEntries([...m].map(([k, v]) => [String(k), Number(v)]));

function asJson(r: SplitResult, withBreakdown: boolean): Expected {
  const out: Expected = { currency: r.currency, total: Number(r.total), paid: asNumbers(r.paid), shares: asNumbers(r.shares) };
  if (withBreakdown) {
    out.breakdown = r.breakdown
      ? Object.fromEntries(
          [...r.breakdown].map(([id, b]) => [
            String(id),
            Object.fromEntries(Object.entries(b).map(([k, v]) => [k, Number(v as bigint)])),
          ]),
        )
      : null;
  }
  return out;
}

describe("golden bills", () => {
  it("cover every split mode", () => {
    expect(new Set(cases.map(([, c]) => c.body.split.mode))).toEqual(new Set(["equal", "exact", "percent", "shares", "itemized"]));
  });

  it.each(cases)("%s splits as the server does", (_name, c) => {
    const outcome = computeSplit(c.body, { groupCurrency: c.group_currency });
    if (!outcome.ok) throw new Error(`refused: ${outcome.reason}`);
    expect(asJson(outcome.original, true)).toEqual(c.expected.original);
    if (c.expected.converted) expect(asJson(outcome.result, false)).toEqual(c.expected.converted);
    else expect(outcome.result).toBe(outcome.original);
  });
});

describe("allocate", () => {
  it("gives leftover units to the largest remainders, summing exactly", () => {
    const tie = allocate(10n, [1n, 1n, 2n], "k");
    expect(tie[2]).toBe(5n);
    expect([tie[0], tie[1]].sort()).toEqual([2n, 3n]);
    expect(allocate(10n, [1n, 2n, 7n], "k")).toEqual([1n, 2n, 7n]);
    expect(allocate(11n, [1n, 2n, 7n], "k")).toEqual([1n, 2n, 8n]); // 1.1, 2.2, 7.7
    const parts = allocate(100n, [1n, 1n, 1n], "k");
    expect(parts.reduce((a, b) => a + b, 0n)).toBe(100n);
    expect(parts.filter((p) => p === 34n)).toHaveLength(1);
    expect(allocate(7n, [0n, 1n], "k")).toEqual([0n, 7n]);
  });

  it("breaks ties by the key, not by position", () => {
    const winners = new Set(["a", "b", "c", "d", "e", "f"].map((key) => allocate(1n, [1n, 1n, 1n], key).indexOf(1n)));
    expect(winners.size).toBeGreaterThan(1);
  });
});

describe("canonical content", () => {
  it("writes JSON as Python's json.dumps(sort_keys=True, separators=(',', ':'), ensure_ascii=False)", () => {
    expect(canonicalJson({ b: [1, "é", null], a: { d: "x\"y", c: "\n" } })).toBe('{"a":{"c":"\\n","d":"x\\"y"},"b":[1,"é",null]}');
  });

  it("spells decimals in their shortest form", () => {
    expect(canonicalDecimal("12.50")).toBe("12.5");
    expect(canonicalDecimal("100.00")).toBe("100");
    expect(canonicalDecimal("0.0")).toBe("0");
    expect(canonicalDecimal("7")).toBe("7");
  });
});

describe("computeSplit refuses what the server refuses", () => {
  const base: Schemas["BillIn"] = {
    title: "t",
    date: "2026-01-01",
    currency: "IDR",
    total: "300",
    payers: [{ member_id: 1, amount: "300" }],
    split: { mode: "percent", members: [{ member_id: 1, value: "50" }, { member_id: 2, value: "40" }] },
  };
  it("percents that are not 100", () => {
    expect(computeSplit(base, { groupCurrency: "IDR" })).toEqual({ ok: false, reason: "percent_sum" });
  });
  it("payers that do not add up to the total", () => {
    const body = { ...base, payers: [{ member_id: 1, amount: "200" }], split: { mode: "equal" as const, members: [{ member_id: 1 }] } };
    expect(computeSplit(body, { groupCurrency: "IDR" })).toEqual({ ok: false, reason: "payers_mismatch" });
  });
  it("a discount larger than the items", () => {
    const body: Schemas["BillIn"] = {
      ...base,
      total: null,
      payers: [{ member_id: 1, amount: "1" }],
      split: { mode: "itemized", items: [{ name: "x", unit_price: "100", member_ids: [1] }], charges: { discount: "200" } },
    };
    expect(computeSplit(body, { groupCurrency: "IDR" })).toEqual({ ok: false, reason: "discount_too_large" });
  });
});
