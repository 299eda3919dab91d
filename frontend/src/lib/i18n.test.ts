import { describe, expect, it } from "vitest";

import { dictionaries, fromAcceptLanguage, interpolate, placeholders, resolveLocale, translate, type MessageKey } from "./i18n";

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
  it("takes the cookie, else the browser's language, else Indonesian", () => {
    expect(resolveLocale("en")).toBe("en");
    expect(resolveLocale("id")).toBe("id");
    expect(resolveLocale("fr")).toBe("id");
    expect(resolveLocale(undefined)).toBe("id");
    expect(resolveLocale(undefined, "en-US,en;q=0.9")).toBe("en");
    expect(resolveLocale("id", "en-US,en;q=0.9")).toBe("id"); // the person's choice wins
    expect(resolveLocale("fr", "fr-FR,fr;q=0.9")).toBe("id");
  });
});

describe("fromAcceptLanguage", () => {
  it("picks the best of id and en by quality, then order", () => {
    expect(fromAcceptLanguage("en-US,en;q=0.9")).toBe("en");
    expect(fromAcceptLanguage("id-ID,id;q=0.9,en;q=0.8")).toBe("id");
    expect(fromAcceptLanguage("fr-FR,fr;q=0.9,en;q=0.5,id;q=0.4")).toBe("en");
    expect(fromAcceptLanguage("en;q=0.5, id;q=0.7")).toBe("id");
    expect(fromAcceptLanguage("in-ID")).toBe("id");
    expect(fromAcceptLanguage("en;q=0, id;q=0.1")).toBe("id");
    expect(fromAcceptLanguage("fr, de")).toBeNull();
    expect(fromAcceptLanguage("*")).toBeNull();
    expect(fromAcceptLanguage("")).toBeNull();
    expect(fromAcceptLanguage(null)).toBeNull();
  });
});
