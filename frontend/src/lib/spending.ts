/**
 * The spending chart's geometry: month bars stacked by category, from the API's exact decimal
 * strings. Amounts are compared as integers of minor units (bigint); only the bar heights,
 * which are pixels, become floating point.
 */

import type { Schemas } from "./api/client";
import { toMinor } from "./money";

export type Spending = Schemas["SpendingOut"];
export type SpendingMonth = Schemas["MonthOut"];

export interface Segment {
  category: string;
  amount: string;
  y: number; // from the top of the plot
  height: number;
}

export interface Bar {
  month: string;
  total: string;
  x: number;
  width: number;
  segments: Segment[];
}

/** A round top for the axis: 1, 2 or 5 times a power of ten, at least the largest total. */
export function niceCeiling(minor: bigint): bigint {
  if (minor <= 0n) return 1n;
  let unit = 1n;
  while (unit * 10n <= minor) unit *= 10n;
  for (const step of [1n, 2n, 5n, 10n]) {
    if (step * unit >= minor) return step * unit;
  }
  return 10n * unit;
}

/**
 * Bars for `months` in a plot `width` x `height` (pixels). Segments are stacked bottom-up in
 * the API's order (largest first), so the biggest category sits on the axis.
 */
export function layoutBars(months: SpendingMonth[], currency: string, width: number, height: number): { bars: Bar[]; top: bigint } {
  const totals = months.map((m) => toMinor(m.total, currency));
  const top = niceCeiling(totals.reduce((a, b) => (b > a ? b : a), 0n));
  const slot = months.length ? width / months.length : width;
  const barWidth = Math.max(2, Math.min(40, slot * 0.7));
  const bars = months.map((m, i) => {
    let bottom = height;
    const segments: Segment[] = m.categories.map((c) => {
      const h = (Number(toMinor(c.amount, currency)) / Number(top)) * height;
      bottom -= h;
      return { category: c.category, amount: c.amount, y: bottom, height: h };
    });
    return { month: m.month, total: m.total, x: i * slot + (slot - barWidth) / 2, width: barWidth, segments };
  });
  return { bars, top };
}

/** "2026-11" -> "Nov" (or "Nov 26" when the range spans years), in the reader's language. */
export function monthLabel(month: string, locale: string, withYear: boolean): string {
  const [y, m] = month.split("-").map(Number);
  const d = new Date(Date.UTC(y!, (m ?? 1) - 1, 15));
  return new Intl.DateTimeFormat(locale === "id" ? "id-ID" : "en-GB", {
    month: "short",
    ...(withYear ? { year: "2-digit" } : {}),
    timeZone: "UTC",
  }).format(d);
}

/** The first day of the month `count - 1` months before `today`'s: the default range start. */
export function monthsBack(today: string, count: number): string {
  const [y, m] = today.split("-").map(Number);
  const index = y! * 12 + (m! - 1) - (count - 1);
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}-01`;
}
