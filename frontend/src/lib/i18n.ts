/**
 * Indonesian (the default) and English. `id` defines the key set; `en` must have exactly the
 * same keys (the type checker enforces it) and the same {placeholders} (a test enforces it).
 */

import { messagesEn } from "./messages/en";
import { messagesId } from "./messages/id";

export const LOCALES = ["id", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "id";
/** The app's language. The API reads the same cookie (settings.LANGUAGE_COOKIE_NAME), so its
 * messages follow the app's choice for anyone not logged in (logged in: the profile's locale). */
export const LOCALE_COOKIE = "locale";

export type MessageKey = keyof typeof messagesId;
export type Messages = Record<MessageKey, string>;

export const dictionaries: Record<Locale, Messages> = { id: messagesId, en: messagesEn };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/**
 * The first of our languages the browser asks for in its Accept-Language ("en-US,en;q=0.9,id;q=0.8"),
 * by quality then order, as Django's LocaleMiddleware picks it; null when it asks for neither.
 * "in" is the old code for Indonesian that some Android browsers still send.
 */
export function fromAcceptLanguage(header: string | undefined | null): Locale | null {
  if (!header) return null;
  const ranked = header
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { lang: tag.trim().toLowerCase().split("-")[0] ?? "", q: q === undefined ? 1 : Number(q), index };
    })
    .filter((r) => r.q > 0 && !Number.isNaN(r.q))
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { lang } of ranked) {
    const locale = lang === "in" ? "id" : lang;
    if (isLocale(locale)) return locale;
  }
  return null;
}

/**
 * The app's language, in the API's order (decision 0018) minus the profile, which the header
 * applies once it knows who is logged in: the language cookie (the person's choice), else the
 * browser's Accept-Language, else Indonesian (the product's default).
 */
export function resolveLocale(cookieValue: string | undefined | null, acceptLanguage?: string | null): Locale {
  if (isLocale(cookieValue)) return cookieValue;
  return fromAcceptLanguage(acceptLanguage) ?? DEFAULT_LOCALE;
}

export type Vars = Record<string, string | number>;

/** Replace {name} placeholders; an unknown placeholder is left as is (visible in review). */
export function interpolate(template: string, vars?: Vars): string {
  if (!vars) return template;
  return template.replace(/\{([a-zA-Z0-9_]+)\}/g, (whole, name: string) =>
    Object.hasOwn(vars, name) ? String(vars[name]) : whole,
  );
}

export function translate(locale: Locale, key: MessageKey, vars?: Vars): string {
  return interpolate(dictionaries[locale][key] ?? dictionaries[DEFAULT_LOCALE][key] ?? key, vars);
}

export function placeholders(template: string): string[] {
  return [...template.matchAll(/\{([a-zA-Z0-9_]+)\}/g)].map((m) => m[1]!).sort();
}

export type Translate = (key: MessageKey, vars?: Vars) => string;
