"use client";

import { formatMoney, isZero } from "@/lib/money";
import { useI18n } from "@/lib/i18n-react";

import { cx } from "./ui";

/** An amount from the API, formatted for the current locale. `signed` colours it by sign. */
export function Money({ amount, currency, signed, className }: { amount: string; currency: string; signed?: boolean; className?: string }) {
  const { locale } = useI18n();
  let tone = "";
  if (signed) tone = isZero(amount, currency) ? "text-slate-600" : amount.startsWith("-") ? "text-red-700" : "text-emerald-700";
  return <span className={cx("tabular whitespace-nowrap", tone, className)}>{formatMoney(amount, currency, locale)}</span>;
}

/** "you owe Rp50.000" / "you are owed Rp50.000" / "settled up" for a balance (positive = owed). */
export function BalanceLabel({ amount, currency }: { amount: string; currency: string }) {
  const { t, locale } = useI18n();
  if (isZero(amount, currency)) return <span className="text-slate-600">{t("home.settled")}</span>;
  const negative = amount.startsWith("-");
  const abs = negative ? amount.slice(1) : amount;
  return (
    <span className={negative ? "text-red-700" : "text-emerald-700"}>
      <span className="text-sm">{negative ? t("home.youOwe") : t("home.youAreOwed")}</span>{" "}
      <span className="tabular whitespace-nowrap font-semibold">{formatMoney(abs, currency, locale)}</span>
    </span>
  );
}
