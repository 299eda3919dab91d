import { describe, expect, it } from "vitest";

import { ApiError, apiErrorFrom, errorsUnder, humanPath, parseRetryAfter, partitionFieldErrors, remapFieldErrors } from "./errors";

describe("apiErrorFrom", () => {
  it("reads the API's error shape and its field errors", () => {
    const e = apiErrorFrom(422, {
      error: { code: "invalid", message: "The bill is invalid.", details: { fields: { "payers.0.amount": ["Too many decimals."], title: "Required." } } },
    });
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(422);
    expect(e.code).toBe("invalid");
    expect(e.message).toBe("The bill is invalid.");
    expect(e.fields).toEqual({ "payers.0.amount": ["Too many decimals."], title: ["Required."] });
  });
  it("copes with bodies that aren't the API's", () => {
    expect(apiErrorFrom(502, "<html>").code).toBe("server_error");
    expect(apiErrorFrom(404, null).fields).toEqual({});
    expect(apiErrorFrom(0, null).isNetwork).toBe(true);
  });
  it("takes Retry-After from the header, else the body", () => {
    expect(apiErrorFrom(429, { error: { code: "throttled", message: "x", details: { retry_after: 7 } } }, "12").retryAfter).toBe(12);
    expect(apiErrorFrom(429, { error: { code: "throttled", message: "x", details: { retry_after: 7 } } }).retryAfter).toBe(7);
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:28:30 GMT", undefined, Date.parse("Wed, 21 Oct 2015 07:28:00 GMT"))).toBe(30);
    expect(parseRetryAfter("soon")).toBeNull();
  });
});

describe("field error mapping", () => {
  const fields = {
    title: ["This must not be blank."],
    "split.items.2.unit_price": ["Too many decimals."],
    "split.items.2.member_ids": ["Member 9 is not an active member of this group."],
    payers: ["Payers paid 10 IDR in all, but the total is 12 IDR."],
    body: ["Invalid bill."],
  };
  it("splits messages between known fields and a form-level list", () => {
    const { byField, unmatched } = partitionFieldErrors(fields, (p) => p === "title" || p.startsWith("split.items."));
    expect(Object.keys(byField).sort()).toEqual(["split.items.2.member_ids", "split.items.2.unit_price", "title"]);
    expect(unmatched).toEqual(["payers: Payers paid 10 IDR in all, but the total is 12 IDR.", "Invalid bill."]);
  });
  it("collects everything under a prefix", () => {
    expect(errorsUnder(fields, "split.items.2")).toHaveLength(2);
    expect(errorsUnder(fields, "split.items.20")).toHaveLength(0);
  });
  it("remaps API paths onto form paths, longest prefix first", () => {
    expect(remapFieldErrors({ "split.items.0.name": ["x"], "split.members": ["y"], title: ["z"] }, { "split.items": "items", split: "s" })).toEqual({
      "items.0.name": ["x"],
      "s.members": ["y"],
      title: ["z"],
    });
  });
  it("words paths for people", () => {
    expect(humanPath("split.items.2.unit_price")).toBe("split › items › #3 › unit price");
  });
});
