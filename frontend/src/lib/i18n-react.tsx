"use client";

import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";

import { LOCALE_COOKIE, translate, type Locale, type Translate } from "./i18n";

interface I18nValue {
  locale: Locale;
  t: Translate;
  /** Switch the UI language now and remember it in a cookie (the profile is updated by the caller). */
  setLocale: (locale: Locale) => void;
}

const I18nContext = createContext<I18nValue | null>(null);

export function writeLocaleCookie(locale: Locale): void {
  const attrs = `path=/; max-age=${60 * 60 * 24 * 365}; samesite=lax`;
  // Sent with every /api request too (same origin, through the proxy): the API reads this
  // cookie before the browser's Accept-Language, so its messages follow the app's choice.
  document.cookie = `${LOCALE_COOKIE}=${locale}; ${attrs}`;
}

export function I18nProvider({ initialLocale, children }: { initialLocale: Locale; children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const setLocale = useCallback((next: Locale) => {
    writeLocaleCookie(next);
    document.documentElement.lang = next;
    setLocaleState(next);
  }, []);
  // The app's language may be the default (no cookie yet): write it, so the API doesn't fall
  // back to the browser's Accept-Language while the app speaks Indonesian.
  useEffect(() => {
    if (!document.cookie.split("; ").includes(`${LOCALE_COOKIE}=${locale}`)) writeLocaleCookie(locale);
  }, [locale]);
  const value = useMemo<I18nValue>(
    () => ({ locale, setLocale, t: (key, vars) => translate(locale, key, vars) }),
    [locale, setLocale],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error("useI18n outside I18nProvider");
  return value;
}
