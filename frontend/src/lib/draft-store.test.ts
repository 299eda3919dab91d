import { describe, expect, it } from "vitest";

import { newDraft } from "./bill";
import { clearDraft, draftKey, idempotencyKeyFor, isDirty, loadDraft, saveDraft } from "./draft-store";

/** The Storage interface over a Map (vitest runs in node, which has no localStorage). */
class MapStorage implements Storage {
  private m = new Map<string, string>();
  get length() {
    return this.m.size;
  }
  clear() {
    this.m.clear();
  }
  getItem(k: string) {
    return this.m.get(k) ?? null;
  }
  key(i: number) {
    return [...this.m.keys()][i] ?? null;
  }
  removeItem(k: string) {
    this.m.delete(k);
  }
  setItem(k: string, v: string) {
    this.m.set(k, String(v));
  }
}

const fresh = () => newDraft({ currency: "IDR", myMemberId: 1, memberIds: [1, 2], now: new Date("2026-03-01T10:00:00Z") });

describe("bill drafts", () => {
  it("round-trips a draft per group", () => {
    const s = new MapStorage();
    const d = { ...fresh(), title: "Sate Pak Kumis", total: "120000" };
    saveDraft(s, 7, d, 1000);
    expect(loadDraft(s, 7)).toEqual({ draft: d, savedAt: 1000 });
    expect(loadDraft(s, 8)).toBeNull();
    clearDraft(s, 7);
    expect(loadDraft(s, 7)).toBeNull();
  });

  it("drops what doesn't look like a draft", () => {
    const s = new MapStorage();
    s.setItem(draftKey(3), JSON.stringify({ v: 1, draft: { title: 5 } }));
    expect(loadDraft(s, 3)).toBeNull();
    expect(s.getItem(draftKey(3))).toBeNull();
    s.setItem(draftKey(4), "{not json");
    expect(loadDraft(s, 4)).toBeNull();
    s.setItem(draftKey(5), JSON.stringify({ v: 99, draft: fresh() }));
    expect(loadDraft(s, 5)).toBeNull();
  });

  it("is dirty only once something was typed", () => {
    expect(isDirty(fresh(), fresh())).toBe(false);
    expect(isDirty({ ...fresh(), notes: "x" }, fresh())).toBe(true);
  });
});

describe("idempotencyKeyFor", () => {
  it("reuses the key for the same body (also after a reload), a new one for another body, none after clearDraft", () => {
    const storage = new MapStorage();
    let n = 0;
    const fresh = () => `k${++n}`;
    expect(idempotencyKeyFor(storage, 7, '{"a":1}', fresh)).toBe("k1");
    expect(idempotencyKeyFor(storage, 7, '{"a":1}', fresh)).toBe("k1");
    expect(idempotencyKeyFor(storage, 8, '{"a":1}', fresh)).toBe("k2"); // another group
    expect(idempotencyKeyFor(storage, 7, '{"a":2}', fresh)).toBe("k3");
    expect(idempotencyKeyFor(storage, 7, '{"a":2}', fresh)).toBe("k3");
    clearDraft(storage, 7);
    expect(storage.getItem("paytungan:bill-save:7")).toBeNull();
  });

  it("works without storage for as long as the page lives", () => {
    let n = 0;
    const fresh = () => `m${++n}`;
    expect(idempotencyKeyFor(null, 9, "x", fresh)).toBe("m1");
    expect(idempotencyKeyFor(null, 9, "x", fresh)).toBe("m1");
    expect(idempotencyKeyFor(null, 9, "y", fresh)).toBe("m2");
    clearDraft(null, 9); // saved: the same body again is another bill
    expect(idempotencyKeyFor(null, 9, "y", fresh)).toBe("m3");
  });
});
