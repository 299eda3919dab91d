import { describe, expect, it } from "vitest";

import { formatDate, formatDateTime } from "./dates";

describe("dates", () => {
  it("formats calendar dates without shifting the day", () => {
    expect(formatDate("2026-11-20", "id")).toBe("20 Nov 2026");
    expect(formatDate("2026-11-20", "en")).toBe("Nov 20, 2026");
    expect(formatDate("garbage", "en")).toBe("garbage");
  });
  it("shows timestamps in Jakarta time", () => {
    expect(formatDateTime("2026-11-20T12:05:00Z", "en")).toMatch(/Nov 20, 2026.*7:05/);
  });
});
