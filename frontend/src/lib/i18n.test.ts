import { describe, expect, it } from "vitest";

import { dictionaries, interpolate, placeholders, resolveLocale, translate, type MessageKey } from "./i18n";

describe("dictionaries", () => {
  const idKeys = Object.keys(dictionaries.id).sort();
  it("English has exactly the Indonesian keys", () => {
    expect(Object.keys(dictionaries.en).sort()).toEqual(idKeys);
  });
  it("every translation keeps the same placeholders and is not empty", () => {
    for (const key of idKeys as MessageKey[]) {
      expect(placeholders(dictionaries.en[key]), key).toEqual(placeholders(dictionaries.id[key]));
      expect(dictionaries.en[key].trim(), key).not.toBe("");
      expect(dictionaries.id[key].trim(), key).not.toBe("");
    }
  });
});

describe("translate", () => {
  it("interpolates variables", () => {
    expect(translate("id", "home.hello", { name: "Ayu" })).toBe("Halo, Ayu!");
    expect(translate("en", "home.hello", { name: "Ayu" })).toBe("Hi, Ayu!");
    expect(interpolate("{a} and {b}", { a: 1 })).toBe("1 and {b}");
  });
});

describe("resolveLocale", () => {
  it("takes the cookie, else Indonesian", () => {
    expect(resolveLocale("en")).toBe("en");
    expect(resolveLocale("id")).toBe("id");
    expect(resolveLocale("fr")).toBe("id");
    expect(resolveLocale(undefined)).toBe("id");
  });
});
