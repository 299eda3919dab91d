"use client";

import { useMemo, useState } from "react";

import { Money } from "@/components/money";
import { Card, EmptyState, ErrorView, Loading, SectionTitle, SelectField, TextField } from "@/components/ui";
import { CATEGORIES, todayIso } from "@/lib/bill";
import { useI18n } from "@/lib/i18n-react";
import { useMemberDirectory } from "@/lib/members";
import { formatMoney, fromMinor, isZero } from "@/lib/money";
import { useSpending, type Group } from "@/lib/queries";
import { layoutBars, monthLabel, monthsBack, type Spending } from "@/lib/spending";

// Fill colours per category (SVG fills and the legend's swatches); readable on white.
const COLORS: Record<string, string> = {
  food: "#ea580c",
  transport: "#0284c7",
  lodging: "#7c3aed",
  groceries: "#65a30d",
  entertainment: "#db2777",
  utilities: "#ca8a04",
  shopping: "#c026d3",
  other: "#64748b",
};

export function SpendingTab({ group }: { group: Group }) {
  const { t, locale } = useI18n();
  const dir = useMemberDirectory(group.id);
  const [memberId, setMemberId] = useState("");
  const [from, setFrom] = useState(() => monthsBack(todayIso(), 6));
  const [to, setTo] = useState(() => todayIso());
  const spending = useSpending(group.id, {
    from: from || undefined,
    to: to || undefined,
    member_id: memberId ? Number(memberId) : undefined,
  });
  const data = spending.data;
  return (
    <div className="space-y-4">
      <Card aria-labelledby="spending-title">
        <SectionTitle id="spending-title">{t("spending.title")}</SectionTitle>
        <p className="mb-3 text-sm text-slate-700">{t("spending.intro")}</p>
        <div className="grid gap-3 sm:grid-cols-3">
          <SelectField label={t("spending.member")} value={memberId} onChange={(e) => setMemberId(e.target.value)}>
            <option value="">{t("spending.everyone")}</option>
            {dir.all.map((m) => (
              <option key={m.id} value={m.id}>
                {dir.name(m.id)}
              </option>
            ))}
          </SelectField>
          <TextField label={t("spending.from")} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
          <TextField label={t("spending.to")} type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </div>
      </Card>
      {spending.isPending ? (
        <Loading />
      ) : spending.error ? (
        <ErrorView error={spending.error} onRetry={() => void spending.refetch()} />
      ) : data ? (
        <>
          <Card aria-labelledby="spending-month-title">
            <SectionTitle id="spending-month-title">
              {t("spending.byMonth")} · <Money amount={data.total} currency={data.currency} />
            </SectionTitle>
            {isZero(data.total, data.currency) ? <EmptyState>{t("spending.empty")}</EmptyState> : <MonthChart data={data} />}
          </Card>
          <Card aria-labelledby="spending-member-title">
            <SectionTitle id="spending-member-title">{t("spending.byMember")}</SectionTitle>
            {data.members.length === 0 ? (
              <EmptyState>{t("spending.empty")}</EmptyState>
            ) : (
              <ul className="divide-y divide-slate-100" data-testid="spending-members">
                {data.members.map((m) => (
                  <li key={m.member_id} className="py-2.5">
                    <button
                      type="button"
                      className="flex w-full items-start justify-between gap-3 text-left"
                      aria-pressed={memberId === String(m.member_id)}
                      onClick={() => setMemberId(memberId === String(m.member_id) ? "" : String(m.member_id))}
                    >
                      <span className="min-w-0">
                        <span className="block font-medium text-slate-900">{dir.byId.get(m.member_id) ? dir.name(m.member_id) : m.name}</span>
                        <span className="block text-sm text-slate-700">
                          {m.categories.map((c) => `${t(`category.${c.category}`)} ${formatMoneySafe(c.amount, data.currency)}`).join(" · ")}
                        </span>
                      </span>
                      <Money amount={m.total} currency={data.currency} className="shrink-0 font-semibold text-slate-900" />
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </>
      ) : null}
    </div>
  );

  function formatMoneySafe(amount: string, currency: string): string {
    try {
      return formatMoney(amount, currency, locale);
    } catch {
      return amount;
    }
  }
}

// The plot's own units: the SVG stretches to the card's width at a fixed height (bars are
// rectangles, so stretching them is harmless); text stays in HTML so it keeps its size on phones.
const W = 600;
const H = 200;

function MonthChart({ data }: { data: Spending }) {
  const { t, locale } = useI18n();
  const { bars, top } = useMemo(() => layoutBars(data.months, data.currency, W, H), [data]);
  const withYear = new Set(data.months.map((m) => m.month.slice(0, 4))).size > 1;
  const used = CATEGORIES.filter((c) => data.categories.some((x) => x.category === c));
  const topLabel = formatMoney(fromMinor(top, data.currency), data.currency, locale);
  return (
    <figure>
      <p className="text-right text-xs text-slate-700" aria-hidden>
        {topLabel}
      </p>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        preserveAspectRatio="none"
        className="block h-48 w-full sm:h-56"
        role="img"
        aria-label={`${t("spending.chartLabel")}: ${data.months
          .map((m) => `${monthLabel(m.month, locale, withYear)} ${formatMoney(m.total, data.currency, locale)}`)
          .join(", ")}`}
        data-testid="spending-chart"
      >
        <line x1={0} x2={W} y1={0.5} y2={0.5} stroke="#e2e8f0" strokeDasharray="4 4" vectorEffect="non-scaling-stroke" />
        <line x1={0} x2={W} y1={H - 0.5} y2={H - 0.5} stroke="#94a3b8" vectorEffect="non-scaling-stroke" />
        {bars.map((bar) => (
          <g key={bar.month} data-testid="spending-bar" data-month={bar.month}>
            {bar.segments.map((s) => (
              <rect key={s.category} x={bar.x} y={s.y} width={bar.width} height={Math.max(s.height, 0)} fill={COLORS[s.category] ?? COLORS.other}>
                <title>{`${monthLabel(bar.month, locale, withYear)} · ${t(`category.${s.category}` as "category.other")}: ${formatMoney(s.amount, data.currency, locale)}`}</title>
              </rect>
            ))}
          </g>
        ))}
      </svg>
      <div className="mt-1 flex text-center text-xs text-slate-800" aria-hidden>
        {bars.map((bar) => (
          <span key={bar.month} className="min-w-0 flex-1 truncate">
            {monthLabel(bar.month, locale, withYear)}
          </span>
        ))}
      </div>
      <figcaption className="mt-3 flex flex-wrap gap-x-4 gap-y-1 text-sm text-slate-800">
        {used.map((c) => {
          const amount = data.categories.find((x) => x.category === c)!.amount;
          return (
            <span key={c} className="inline-flex items-center gap-1.5">
              <svg aria-hidden viewBox="0 0 12 12" className="h-3 w-3">
                <rect width={12} height={12} rx={2} fill={COLORS[c]} />
              </svg>
              {t(`category.${c}`)} <Money amount={amount} currency={data.currency} />
            </span>
          );
        })}
      </figcaption>
    </figure>
  );
}
