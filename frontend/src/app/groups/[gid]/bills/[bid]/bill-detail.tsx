"use client";

import Link from "next/link";

import { RequireAuth } from "@/components/auth";
import { CategoryIcon } from "@/components/category";
import { Money } from "@/components/money";
import { useToast } from "@/components/toast";
import { Alert, Button, Card, ErrorView, LinkButton, Loading, SectionTitle, cx, errorMessage } from "@/components/ui";
import { formatDate } from "@/lib/dates";
import { useI18n } from "@/lib/i18n-react";
import { useMemberDirectory } from "@/lib/members";
import { MINUS, formatDecimalInput, formatMoney, formatPercent, isZero, multiplyAmount } from "@/lib/money";
import { useBill, useDeleteBill, useGroup, useRestoreBill, type Bill, type Group } from "@/lib/queries";

export function BillDetail({ gid, bid }: { gid: number; bid: number }) {
  return <RequireAuth>{() => <Loader gid={gid} bid={bid} />}</RequireAuth>;
}

function Loader({ gid, bid }: { gid: number; bid: number }) {
  const group = useGroup(gid);
  const bill = useBill(gid, bid);
  const error = group.error ?? bill.error;
  if (error) return <ErrorView error={error} onRetry={() => void bill.refetch()} />;
  if (!group.data || !bill.data) return <Loading />;
  return <BillScreen group={group.data} bill={bill.data} />;
}

function BillScreen({ group, bill }: { group: Group; bill: Bill }) {
  const { t, locale } = useI18n();
  const toast = useToast();
  const dir = useMemberDirectory(group.id);
  const del = useDeleteBill(group.id, bill.id);
  const restore = useRestoreBill(group.id, bill.id);
  const foreign = bill.currency !== group.currency;
  const breakdown = new Map((bill.breakdown ?? []).map((b) => [b.member_id, b]));
  const status = new Map(bill.status.map((s) => [s.member_id, s]));
  const paid = new Map(bill.payers.map((p) => [p.member_id, p]));
  const deleted = bill.deleted_at !== null;

  // No question first: a deleted bill is restored with one tap (the page offers it at once).
  function onDelete() {
    del.mutate(undefined, {
      onSuccess: () => toast(t("billDetail.deletedToast"), "info"),
      onError: (e) => toast(errorMessage(t, e), "error"),
    });
  }

  return (
    <div className="space-y-4">
      <p className="text-sm">
        <Link href={`/groups/${group.id}`} className="text-brand-800 underline">
          {group.name}
        </Link>
      </p>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="flex min-w-0 items-center gap-3">
          <CategoryIcon category={bill.category} />
          <div className="min-w-0">
            <h1 className={cx("text-2xl font-bold tracking-tight", deleted && "text-slate-500 line-through")}>{bill.title}</h1>
            <p className="text-sm text-slate-600">
              {formatDate(bill.date, locale)} · {t(`category.${bill.category}`)}
            </p>
          </div>
        </div>
        <div className="sm:text-right">
          <Money amount={bill.total} currency={group.currency} className="text-2xl font-bold" />
          {foreign && bill.exchange_rate ? (
            <p className="text-sm text-slate-600">
              {t("billDetail.converted", { rate: formatDecimalInput(bill.exchange_rate, locale) })}{" "}
              <Money amount={bill.original_total} currency={bill.currency} />
            </p>
          ) : null}
        </div>
      </div>

      {deleted ? (
        <Alert tone="warning" title={t("billDetail.deleted")}>
          <Button
            small
            className="mt-1"
            busy={restore.isPending}
            onClick={() =>
              restore.mutate(undefined, {
                onSuccess: () => toast(t("billDetail.restored")),
                onError: (e) => toast(errorMessage(t, e), "error"),
              })
            }
          >
            {t("billDetail.restore")}
          </Button>
        </Alert>
      ) : (
        <div className="flex gap-2">
          <LinkButton href={`/groups/${group.id}/bills/${bill.id}/edit`} variant="secondary">
            {t("common.edit")}
          </LinkButton>
          <Button variant="ghost" busy={del.isPending} onClick={onDelete}>
            {t("common.delete")}
          </Button>
        </div>
      )}

      <div className="grid gap-4 lg:grid-cols-[1fr_20rem]">
        <Card aria-labelledby="shares-title">
          <SectionTitle id="shares-title">{t("billDetail.shares")}</SectionTitle>
          <ul className="divide-y divide-slate-100" data-testid="shares">
            {bill.shares.map((s) => {
              const b = breakdown.get(s.member_id);
              const st = status.get(s.member_id);
              return (
                <li key={s.member_id} className="py-3" data-member-id={s.member_id}>
                  <div className="flex items-baseline justify-between gap-2">
                    <span className="min-w-0 truncate font-medium text-slate-900">{dir.name(s.member_id)}</span>
                    <Money amount={s.amount} currency={group.currency} className="font-semibold" />
                  </div>
                  {b ? (
                    <dl className="mt-1 grid grid-cols-2 gap-x-4 text-xs text-slate-600 sm:grid-cols-3">
                      {(
                        [
                          ["billDetail.items", b.items],
                          ["billDetail.discount", b.discount],
                          ["billDetail.service", b.service],
                          ["billDetail.tax", b.tax],
                          ["billDetail.tip", b.tip],
                        ] as const
                      )
                        .filter(([, v]) => !isZero(v, bill.currency))
                        .map(([k, v]) => (
                          <div key={k} className="flex justify-between gap-2">
                            <dt>{t(k)}</dt>
                            <dd className="tabular">
                              {k === "billDetail.discount" ? "−" : ""}
                              <Money amount={v} currency={bill.currency} />
                            </dd>
                          </div>
                        ))}
                    </dl>
                  ) : null}
                  {st ? (
                    <p className={cx("mt-1 text-sm", st.status === "paid_back" ? "text-emerald-700" : "text-red-700")}>
                      {st.status === "paid_back" ? (
                        `✓ ${t("billDetail.status.paid_back")}`
                      ) : (
                        <>
                          {t("billDetail.status.owes")} <Money amount={st.amount} currency={group.currency} className="font-semibold" />
                        </>
                      )}
                    </p>
                  ) : null}
                </li>
              );
            })}
          </ul>
        </Card>

        <div className="space-y-4">
          <Card aria-labelledby="paidby-title">
            <SectionTitle id="paidby-title">{t("billDetail.paidBy")}</SectionTitle>
            <ul className="space-y-1">
              {[...paid.values()].map((p) => (
                <li key={p.member_id} className="flex justify-between gap-2">
                  <span className="truncate">{dir.name(p.member_id)}</span>
                  <Money amount={p.amount} currency={group.currency} className="font-semibold" />
                </li>
              ))}
            </ul>
          </Card>
          {bill.split.mode === "itemized" && bill.split.items.length ? (
            <Card aria-labelledby="items-title">
              <SectionTitle id="items-title">{t("billDetail.itemsList")}</SectionTitle>
              <ul className="space-y-2 text-sm">
                {bill.split.items.map((item, i) => (
                  <li key={i}>
                    <div className="flex justify-between gap-2">
                      <span className="font-medium text-slate-900">
                        {item.quantity > 1 ? `${item.quantity}× ` : ""}
                        {item.name}
                      </span>
                      <Money amount={multiplyAmount(item.unit_price, item.quantity, bill.currency)} currency={bill.currency} />
                    </div>
                    <p className="text-xs text-slate-600">
                      {item.quantity > 1 ? (
                        <span className="tabular">
                          {item.quantity} × {formatMoney(item.unit_price, bill.currency, locale)} ·{" "}
                        </span>
                      ) : null}
                      {item.member_ids.map((id) => dir.name(id)).join(", ")}
                    </p>
                  </li>
                ))}
              </ul>
              <ChargesList charges={bill.split.charges} currency={bill.currency} />
            </Card>
          ) : null}
          {bill.notes ? (
            <Card aria-labelledby="notes-title">
              <SectionTitle id="notes-title">{t("bill.notes")}</SectionTitle>
              <p className="whitespace-pre-wrap text-sm text-slate-800">{bill.notes}</p>
            </Card>
          ) : null}
        </div>
      </div>
    </div>
  );
}

/** The receipt's charges as typed: discount (amount and / or percent), service and tax rates, tip. */
function ChargesList({ charges, currency }: { charges: Bill["split"]["charges"]; currency: string }) {
  const { t, locale } = useI18n();
  const zero = (v: string) => /^[0.]*$/.test(v);
  const rows: [string, string][] = [];
  if (!zero(charges.discount)) rows.push([t("billDetail.discount"), `${MINUS}${formatMoney(charges.discount, currency, locale)}`]);
  if (!zero(charges.discount_percent)) rows.push([t("billDetail.discount"), `${MINUS}${formatPercent(charges.discount_percent, locale)}`]);
  if (!zero(charges.service_percent)) rows.push([t("billDetail.service"), formatPercent(charges.service_percent, locale)]);
  if (!zero(charges.tax_percent)) rows.push([t("billDetail.tax"), formatPercent(charges.tax_percent, locale)]);
  if (!zero(charges.tip)) rows.push([t("billDetail.tip"), formatMoney(charges.tip, currency, locale)]);
  if (rows.length === 0) return null;
  return (
    <dl className="mt-3 space-y-1 border-t border-slate-200 pt-2 text-sm text-slate-700" data-testid="charges">
      {rows.map(([label, value], i) => (
        <div key={i} className="flex justify-between gap-2">
          <dt>{label}</dt>
          <dd className="tabular">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
