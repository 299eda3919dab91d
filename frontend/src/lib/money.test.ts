import { describe, expect, it } from "vitest";

import {
  exponentOf,
  formatAmountInput,
  formatDecimalInput,
  formatMoney,
  fromMinor,
  multiplyAmount,
  parseAmount,
  parsePercent,
  parseRate,
  splitEvenly,
  subtractAmounts,
  sumAmounts,
  toMinor,
  UnknownCurrencyError,
} from "./money";

const id = (input: string, currency = "IDR") => parseAmount(input, { locale: "id", currency });
const en = (input: string, currency = "IDR") => parseAmount(input, { locale: "en", currency });

describe("exponentOf", () => {
  it("follows ISO 4217 except IDR, which has no decimals", () => {
    expect(exponentOf("IDR")).toBe(0);
    expect(exponentOf("USD")).toBe(2);
    expect(exponentOf("JPY")).toBe(0);
    expect(exponentOf("KWD")).toBe(3);
  });
  it("rejects unknown codes", () => {
    expect(() => exponentOf("XXX")).toThrow(UnknownCurrencyError);
    expect(() => exponentOf("idr")).toThrow(UnknownCurrencyError);
  });
});

describe("parseAmount, Indonesian notation", () => {
  it("reads dots as thousands separators", () => {
    expect(id("125.000")).toEqual({ ok: true, value: "125000" });
    expect(id("1.250.000")).toEqual({ ok: true, value: "1250000" });
    expect(id("125000")).toEqual({ ok: true, value: "125000" });
    expect(id(" 35.000 ")).toEqual({ ok: true, value: "35000" });
  });
  it("reads a comma as the decimal mark", () => {
    expect(id("12,50", "USD")).toEqual({ ok: true, value: "12.50" });
    expect(id("12,5", "USD")).toEqual({ ok: true, value: "12.50" });
    expect(id("1.234,5", "USD")).toEqual({ ok: true, value: "1234.50" });
    expect(id("12", "USD")).toEqual({ ok: true, value: "12.00" });
    expect(id(",5", "USD")).toEqual({ ok: true, value: "0.50" });
  });
  it("tolerates a currency prefix and trailing zero decimals", () => {
    expect(id("Rp125.000")).toEqual({ ok: true, value: "125000" });
    expect(id("Rp 125.000")).toEqual({ ok: true, value: "125000" });
    expect(id("IDR 125.000")).toEqual({ ok: true, value: "125000" });
    expect(id("125.000,00")).toEqual({ ok: true, value: "125000" });
  });
  it("refuses decimals the currency doesn't have", () => {
    expect(id("12,50")).toEqual({ ok: false, error: "too_many_decimals" });
    expect(id("1,234", "USD")).toEqual({ ok: false, error: "too_many_decimals" });
    expect(id("1,2345", "KWD")).toEqual({ ok: false, error: "too_many_decimals" });
    expect(id("1,234", "KWD")).toEqual({ ok: true, value: "1.234" });
  });
  it("refuses English notation where it would be misread", () => {
    expect(id("12.50", "USD")).toEqual({ ok: false, error: "grouping" });
    expect(id("125,000.50", "USD")).toEqual({ ok: false, error: "grouping" });
    expect(id("1.25")).toEqual({ ok: false, error: "grouping" });
    expect(id("12.3456")).toEqual({ ok: false, error: "grouping" });
    expect(id("1.2.3")).toEqual({ ok: false, error: "grouping" });
  });
  it("explains empty, negative, junk and absurd input", () => {
    expect(id("")).toEqual({ ok: false, error: "empty" });
    expect(id("   ")).toEqual({ ok: false, error: "empty" });
    expect(id("-5.000")).toEqual({ ok: false, error: "negative" });
    expect(id("12abc")).toEqual({ ok: false, error: "invalid" });
    expect(id("1e5")).toEqual({ ok: false, error: "invalid" });
    expect(id("NaN")).toEqual({ ok: false, error: "invalid" });
    expect(id("12,")).toEqual({ ok: false, error: "invalid" });
    expect(id("1234567890123456")).toEqual({ ok: false, error: "too_large" });
  });
  it("strips leading zeros and can refuse zero", () => {
    expect(id("007")).toEqual({ ok: true, value: "7" });
    expect(id("0")).toEqual({ ok: true, value: "0" });
    expect(parseAmount("0", { locale: "id", currency: "IDR", allowZero: false })).toEqual({ ok: false, error: "zero" });
    expect(parseAmount("0,00", { locale: "id", currency: "USD", allowZero: false })).toEqual({ ok: false, error: "zero" });
  });
});

describe("parseAmount, English notation", () => {
  it("reads commas as thousands separators and a point as the decimal mark", () => {
    expect(en("125,000")).toEqual({ ok: true, value: "125000" });
    expect(en("12.50", "USD")).toEqual({ ok: true, value: "12.50" });
    expect(en("1,234.5", "USD")).toEqual({ ok: true, value: "1234.50" });
    expect(en("$12.5", "USD")).toEqual({ ok: true, value: "12.50" });
    expect(en("1,000", "JPY")).toEqual({ ok: true, value: "1000" });
  });
  it("refuses Indonesian notation where it would be misread", () => {
    expect(en("12,50", "USD")).toEqual({ ok: false, error: "grouping" });
    expect(en("125.000")).toEqual({ ok: false, error: "too_many_decimals" });
    expect(en("1.234,5", "USD")).toEqual({ ok: false, error: "grouping" });
  });
});

describe("parsePercent and parseRate", () => {
  it("reads percents in the locale's notation, 0 to 100, two decimals", () => {
    expect(parsePercent("5", "id")).toEqual({ ok: true, value: "5" });
    expect(parsePercent("2,5", "id")).toEqual({ ok: true, value: "2.5" });
    expect(parsePercent("2.5", "en")).toEqual({ ok: true, value: "2.5" });
    expect(parsePercent("10,00", "id")).toEqual({ ok: true, value: "10" });
    expect(parsePercent("100", "en")).toEqual({ ok: true, value: "100" });
    expect(parsePercent("100,5", "id")).toEqual({ ok: false, error: "too_large" });
    expect(parsePercent("1,125", "id")).toEqual({ ok: false, error: "too_many_decimals" });
  });
  it("reads exchange rates with grouping", () => {
    expect(parseRate("15.750", "id")).toEqual({ ok: true, value: "15750" });
    expect(parseRate("15,750.25", "en")).toEqual({ ok: true, value: "15750.25" });
    expect(parseRate("0,0001", "id")).toEqual({ ok: true, value: "0.0001" });
    expect(parseRate("0", "id")).toEqual({ ok: false, error: "zero" });
  });
});

describe("minor units", () => {
  it("converts exactly both ways", () => {
    expect(toMinor("125000", "IDR")).toBe(125000n);
    expect(toMinor("12.5", "USD")).toBe(1250n);
    expect(toMinor("-3.25", "USD")).toBe(-325n);
    expect(toMinor("1.000", "KWD")).toBe(1000n);
    expect(toMinor("12.00", "IDR")).toBe(12n);
    expect(fromMinor(1250n, "USD")).toBe("12.50");
    expect(fromMinor(5n, "USD")).toBe("0.05");
    expect(fromMinor(-5n, "KWD")).toBe("-0.005");
    expect(fromMinor(125000n, "IDR")).toBe("125000");
  });
  it("refuses amounts it would have to round", () => {
    expect(() => toMinor("12.505", "USD")).toThrow();
    expect(() => toMinor("1.5", "IDR")).toThrow();
    expect(() => toMinor("abc", "IDR")).toThrow();
    expect(() => toMinor("1e3", "IDR")).toThrow();
  });
  it("sums without float error", () => {
    expect(sumAmounts(["0.10", "0.20"], "USD")).toBe("0.30");
    expect(sumAmounts(Array(10).fill("0.1"), "USD")).toBe("1.00");
    expect(sumAmounts(["-70000", "50000", "20000"], "IDR")).toBe("0");
    expect(sumAmounts(["999999999999999", "1"], "IDR")).toBe("1000000000000000");
    expect(sumAmounts([], "IDR")).toBe("0");
    expect(subtractAmounts("10.00", "0.01", "USD")).toBe("9.99");
    expect(multiplyAmount("35000", 2, "IDR")).toBe("70000");
    expect(multiplyAmount("0.07", 3, "USD")).toBe("0.21");
  });
  it("splits evenly with the remainder spread one unit at a time", () => {
    expect(splitEvenly("100", 3, "IDR")).toEqual(["34", "33", "33"]);
    expect(splitEvenly("0.10", 3, "USD")).toEqual(["0.04", "0.03", "0.03"]);
    expect(sumAmounts(splitEvenly("150150", 7, "IDR"), "IDR")).toBe("150150");
  });
});

describe("formatMoney", () => {
  it("writes rupiah the Indonesian way and with the ISO code in English", () => {
    expect(formatMoney("125000", "IDR", "id")).toBe("Rp125.000");
    expect(formatMoney("150150", "IDR", "id")).toBe("Rp150.150");
    expect(formatMoney("125000", "IDR", "en")).toBe("IDR 125,000");
    expect(formatMoney("0", "IDR", "id")).toBe("Rp0");
  });
  it("shows exactly the currency's decimals", () => {
    expect(formatMoney("12.5", "USD", "en")).toBe("USD 12.50");
    expect(formatMoney("1234.5", "USD", "id")).toBe("US$1.234,50");
    expect(formatMoney("1.5", "KWD", "en")).toBe("KWD 1.500");
    expect(formatMoney("1000", "JPY", "en")).toBe("JPY 1,000");
  });
  it("keeps every digit of large amounts (no float)", () => {
    expect(formatMoney("999999999999999", "IDR", "id")).toBe("Rp999.999.999.999.999");
    expect(formatMoney("90071992547409.93", "USD", "en")).toBe("USD 90,071,992,547,409.93");
  });
  it("signs negatives", () => {
    expect(formatMoney("-125000", "IDR", "id")).toBe("\u2212Rp125.000");
    expect(formatMoney("-12.50", "USD", "en")).toBe("\u2212USD 12.50");
  });
  it("refuses to round", () => {
    expect(() => formatMoney("1.5", "IDR", "id")).toThrow();
  });
});

describe("input formatting round-trips through parseAmount", () => {
  it.each([
    ["125000", "IDR"],
    ["12.50", "USD"],
    ["1234567.89", "USD"],
    ["1.005", "KWD"],
    ["0.05", "USD"],
  ])("%s %s", (amount, currency) => {
    for (const locale of ["id", "en"] as const) {
      const typed = formatAmountInput(amount, currency, locale);
      const back = parseAmount(typed, { locale, currency });
      expect(back).toEqual({ ok: true, value: fromMinor(toMinor(amount, currency), currency) });
    }
  });
  it("writes inputs as the locale does", () => {
    expect(formatAmountInput("125000", "IDR", "id")).toBe("125.000");
    expect(formatAmountInput("125000", "IDR", "en")).toBe("125,000");
    expect(formatAmountInput("12.50", "USD", "id")).toBe("12,50");
    expect(formatAmountInput("12.00", "USD", "en")).toBe("12");
    expect(formatDecimalInput("2.5", "id")).toBe("2,5");
    expect(formatDecimalInput("15750", "id")).toBe("15.750");
    expect(formatDecimalInput("10.00", "en")).toBe("10");
  });
});
