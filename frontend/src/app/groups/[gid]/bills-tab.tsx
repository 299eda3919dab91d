"use client";

import Link from "next/link";
import { useEffect, useRef, useState } from "react";

import { CategoryIcon } from "@/components/category";
import { Money } from "@/components/money";
import { Button, EmptyState, ErrorView, LinkButton, Loading, SelectField, TextField } from "@/components/ui";
import { CATEGORIES, type Category } from "@/lib/bill";
import { formatDate } from "@/lib/dates";
import { useI18n } from "@/lib/i18n-react";
import { useDebounced } from "@/lib/use-debounced";
import { useMemberDirectory } from "@/lib/members";
import { isZero } from "@/lib/money";
import { useBills, type BillFilters, type BillListItem, type Group } from "@/lib/queries";

export function BillsTab({ group }: { group: Group }) {
  const { t } = useI18n();
  const dir = useMemberDirectory(group.id);
  const [q, setQ] = useState("");
  const [memberId, setMemberId] = useState("");
  const [category, setCategory] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [showFilters, setShowFilters] = useState(false);
  const debouncedQ = useDebounced(q.trim(), 300);
  const filters: BillFilters = {
    q: debouncedQ || undefined,
    member_id: memberId ? Number(memberId) : undefined,
    category: (category || undefined) as Category | undefined,
    from: from || undefined,
    to: to || undefined,
  };
  const filtered = Boolean(filters.q || filters.member_id || filters.category || filters.from || filters.to);
  const bills = useBills(group.id, filters);
  const items = bills.data?.pages.flatMap((p) => p.items) ?? [];

  // Infinite scroll: load the next page when the sentinel comes into view.
  const sentinel = useRef<HTMLDivElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = bills;
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !hasNextPage) return;
    const io = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting) && !isFetchingNextPage) void fetchNextPage();
      },
      { rootMargin: "600px" },
    );
    io.observe(el);
    return () => io.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  function resetFilters() {
    setQ("");
    setMemberId("");
    setCategory("");
    setFrom("");
    setTo("");
  }

  return (
    <section aria-labelledby="bills-title" className="min-w-0">
      <h2 id="bills-title" className="sr-only">
        {t("group.tab.bills")}
      </h2>
      <div className="mb-3 flex gap-2">
        <TextField
          className="flex-1"
          label={t("bills.filter.q")}
          hideLabel
          type="search"
          placeholder={t("bills.filter.q")}
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
        <Button variant="secondary" aria-expanded={showFilters} aria-controls="bill-filters" onClick={() => setShowFilters((v) => !v)}>
          {t("bills.filters")}
          {filtered ? <span className="rounded-full bg-brand-700 px-1.5 text-xs text-white">•</span> : null}
        </Button>
      </div>
      {showFilters ? (
        <div id="bill-filters" className="mb-4 grid grid-cols-2 gap-3 rounded-xl bg-white p-3 ring-1 ring-slate-200 sm:grid-cols-4">
          <SelectField label={t("bills.filter.member")} value={memberId} onChange={(e) => setMemberId(e.target.value)}>
            <option value="">{t("common.all")}</option>
            {dir.all.map((m) => (
              <option key={m.id} value={m.id}>
                {dir.name(m.id)}
              </option>
            ))}
          </SelectField>
          <SelectField label={t("bills.filter.category")} value={category} onChange={(e) => setCategory(e.target.value)}>
            <option value="">{t("common.all")}</option>
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t(`category.${c}`)}
              </option>
            ))}
          </SelectField>
          <TextField label={t("bills.filter.from")} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
          <TextField label={t("bills.filter.to")} type="date" value={to} onChange={(e) => setTo(e.target.value)} />
          <div className="col-span-2 sm:col-span-4">
            <Button variant="ghost" small onClick={resetFilters}>
              {t("bills.filter.reset")}
            </Button>
          </div>
        </div>
      ) : null}

      {bills.isPending ? (
        <Loading />
      ) : bills.error && items.length === 0 ? (
        <ErrorView error={bills.error} onRetry={() => void bills.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState
          action={
            filtered ? (
              <Button variant="secondary" onClick={resetFilters}>
                {t("bills.filter.reset")}
              </Button>
            ) : (
              <LinkButton href={`/groups/${group.id}/bills/new`}>{t("group.newBill")}</LinkButton>
            )
          }
        >
          {filtered ? t("bills.emptyFiltered") : t("bills.empty")}
        </EmptyState>
      ) : (
        <ul className="divide-y divide-slate-200 overflow-hidden rounded-xl bg-white shadow-sm ring-1 ring-slate-200" aria-busy={bills.isFetching}>
          {items.map((bill) => (
            <BillRow key={bill.id} bill={bill} group={group} name={dir.name} />
          ))}
        </ul>
      )}
      <div ref={sentinel} />
      {hasNextPage ? (
        <div className="mt-3 flex justify-center">
          <Button variant="secondary" busy={isFetchingNextPage} onClick={() => void fetchNextPage()}>
            {t("common.loadMore")}
          </Button>
        </div>
      ) : items.length > 20 ? (
        <p className="mt-3 text-center text-sm text-slate-600">{t("common.noMore")}</p>
      ) : null}
    </section>
  );
}

function BillRow({ bill, group, name }: { bill: BillListItem; group: Group; name: (id: number) => string }) {
  const { t, locale } = useI18n();
  const only = bill.payers.length === 1 ? bill.payers[0]!.member_id : null;
  const payer =
    only === null
      ? t("bills.paidByMany", { count: bill.payers.length })
      : only === group.my_member_id
        ? t("bills.paidByYou")
        : t("bills.paidBy", { name: name(only) });
  return (
    <li>
      <Link href={`/groups/${group.id}/bills/${bill.id}`} className="flex items-center gap-3 px-3 py-3 hover:bg-slate-50 sm:px-4">
        <CategoryIcon category={bill.category} />
        <span className="min-w-0 flex-1">
          <span className="line-clamp-2 font-medium text-slate-900">{bill.title}</span>
          <span className="block text-sm text-slate-600">
            {formatDate(bill.date, locale)} · {payer}
          </span>
          <span className="block text-xs text-slate-600">
            {isZero(bill.my_share, group.currency) ? (
              t("bills.notInvolved")
            ) : (
              <>
                {t("bills.myShare")} <Money amount={bill.my_share} currency={group.currency} />
              </>
            )}
          </span>
        </span>
        <Money amount={bill.total} currency={group.currency} className="shrink-0 self-start pt-0.5 font-semibold text-slate-900" />
      </Link>
    </li>
  );
}
