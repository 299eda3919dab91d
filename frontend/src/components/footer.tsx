"use client";

import { LOCALES, type Locale } from "@/lib/i18n";
import { useI18n } from "@/lib/i18n-react";
import { useMe, useUpdateMe } from "@/lib/queries";

const NAMES: Record<Locale, string> = { id: "Bahasa Indonesia", en: "English" };

/** Language switch: the cookie for everyone, and the profile too when logged in. */
export function LanguageSwitch() {
  const { t, locale, setLocale } = useI18n();
  const me = useMe();
  const update = useUpdateMe();
  function choose(next: Locale) {
    if (next === locale) return;
    setLocale(next);
    if (me.data) update.mutate({ locale: next });
  }
  return (
    <div role="group" aria-label={t("common.language")} className="flex items-center gap-1">
      {LOCALES.map((l) => (
        <button
          key={l}
          type="button"
          lang={l}
          aria-pressed={l === locale}
          onClick={() => choose(l)}
          className={
            "rounded-md px-2 py-1 text-sm " +
            (l === locale ? "bg-slate-200 font-semibold text-slate-900" : "text-slate-700 underline-offset-2 hover:underline")
          }
        >
          {NAMES[l]}
        </button>
      ))}
    </div>
  );
}

export function Footer() {
  return (
    <footer className="mt-12 border-t border-slate-200 bg-white">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-3 px-4 py-4 text-sm text-slate-600">
        <span>© Paytungan</span>
        <LanguageSwitch />
      </div>
    </footer>
  );
}
