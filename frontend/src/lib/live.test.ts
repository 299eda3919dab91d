import { describe, expect, it, vi } from "vitest";

import { moved, pollChanges, titleWithBadge } from "./live";

function reply(status: number, body?: unknown, etag?: string): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { ...(etag ? { ETag: etag } : {}), "Content-Type": "application/json" },
  });
}

describe("pollChanges", () => {
  it("sends the last ETag and keeps the last answer on 304", async () => {
    const fetcher = vi.fn().mockResolvedValueOnce(reply(200, { version: 7, pending_confirmations: 1 }, '"v7"')).mockResolvedValueOnce(reply(304));
    const first = await pollChanges(3, { etag: null, changes: null }, fetcher);
    expect(first).toEqual({ etag: '"v7"', changes: { version: 7, pending_confirmations: 1 } });
    expect(fetcher.mock.calls[0]![1].headers["If-None-Match"]).toBeUndefined();
    const second = await pollChanges(3, first, fetcher);
    expect(second).toBe(first);
    expect(fetcher.mock.calls[1]![0]).toBe("/api/groups/3/changes");
    expect(fetcher.mock.calls[1]![1].headers["If-None-Match"]).toBe('"v7"');
  });

  it("throws on an error so the next interval tries again", async () => {
    const fetcher = vi.fn().mockResolvedValue(reply(404, { error: { code: "not_found" } }));
    await expect(pollChanges(3, { etag: null, changes: null }, fetcher)).rejects.toThrow("404");
  });
});

describe("moved", () => {
  it("is true only when a known version or pending count changes", () => {
    expect(moved(null, { version: 1, pending_confirmations: 0 })).toBe(false);
    expect(moved({ version: 1, pending_confirmations: 0 }, { version: 1, pending_confirmations: 0 })).toBe(false);
    expect(moved({ version: 1, pending_confirmations: 0 }, { version: 2, pending_confirmations: 0 })).toBe(true);
    expect(moved({ version: 1, pending_confirmations: 0 }, { version: 1, pending_confirmations: 1 })).toBe(true);
  });
});

describe("titleWithBadge", () => {
  it("prefixes the pending count once and removes it at zero", () => {
    expect(titleWithBadge("Arisan · Paytungan", 2)).toBe("(2) Arisan · Paytungan");
    expect(titleWithBadge("(2) Arisan · Paytungan", 3)).toBe("(3) Arisan · Paytungan");
    expect(titleWithBadge("(3) Arisan · Paytungan", 0)).toBe("Arisan · Paytungan");
  });
});
