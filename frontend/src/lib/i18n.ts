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

/** The locale from the cookie, else Indonesian (the product's default, whatever the browser says). */
export function resolveLocale(cookieValue: string | undefined | null): Locale {
  return isLocale(cookieValue) ? cookieValue : DEFAULT_LOCALE;
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
