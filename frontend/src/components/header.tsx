"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect } from "react";

import { isLocale } from "@/lib/i18n";
import { useI18n } from "@/lib/i18n-react";
import { useLogout, useMe } from "@/lib/queries";

import { cx } from "./ui";

export function Header() {
  const { t, locale, setLocale } = useI18n();
  const me = useMe();
  const pathname = usePathname();
  const router = useRouter();
  const logout = useLogout();
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
          "rounded-md px-2 py-2 text-sm font-medium sm:px-3",
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
          {/* Four items fit a 360 px phone only with the name hidden (the "P" still says home). */}
          <span className="max-[379px]:sr-only">{t("app.name")}</span>
        </Link>
        <nav aria-label={t("nav.main")} className="flex items-center gap-0.5 sm:gap-1">
          {me.data ? (
            <>
              {link("/", t("nav.home"))}
              {link("/profile", t("nav.profile"))}
              <button
                type="button"
                disabled={logout.isPending}
                onClick={() => logout.mutate(undefined, { onSettled: () => router.replace("/login") })}
                className="rounded-md px-2 py-2 text-sm font-medium sm:px-3 text-slate-700 hover:bg-slate-100 hover:text-slate-900 disabled:text-slate-500"
              >
                {t("nav.logout")}
              </button>
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
