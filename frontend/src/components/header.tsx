"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect } from "react";

import { isLocale } from "@/lib/i18n";
import { useI18n } from "@/lib/i18n-react";
import { useMe } from "@/lib/queries";

import { cx } from "./ui";

export function Header() {
  const { t, locale, setLocale } = useI18n();
  const me = useMe();
  const pathname = usePathname();
  const profileLocale = me.data?.locale;
  useEffect(() => {
    // The language stored in the profile wins once we know who is logged in.
    if (isLocale(profileLocale) && profileLocale !== locale) setLocale(profileLocale);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [profileLocale]);

  const link = (href: string, label: string) => {
    const active = href === "/" ? pathname === "/" : pathname.startsWith(href);
    return (
      <Link
        href={href}
        aria-current={active ? "page" : undefined}
        className={cx(
          "rounded-md px-3 py-2 text-sm font-medium",
          active ? "bg-brand-50 text-brand-900" : "text-slate-700 hover:bg-slate-100 hover:text-slate-900",
        )}
      >
        {label}
      </Link>
    );
  };

  return (
    <header className="sticky top-0 z-40 border-b border-slate-200 bg-white/95 backdrop-blur">
      <div className="mx-auto flex h-14 max-w-5xl items-center justify-between gap-2 px-4">
        <Link href="/" className="flex items-center gap-2 text-lg font-bold text-brand-800">
          <span aria-hidden className="grid h-8 w-8 place-items-center rounded-lg bg-brand-700 text-sm text-white">
            P
          </span>
          {t("app.name")}
        </Link>
        <nav aria-label={t("nav.main")} className="flex items-center gap-1">
          {me.data ? (
            <>
              {link("/", t("nav.home"))}
              {link("/profile", t("nav.profile"))}
            </>
          ) : me.isPending ? null : (
            <>
              {link("/login", t("nav.login"))}
              {link("/signup", t("nav.signup"))}
            </>
          )}
        </nav>
      </div>
    </header>
  );
}
