"use client";

import Link from "next/link";

import { CategoryIcon } from "@/components/category";
import { Money } from "@/components/money";
import { useToast } from "@/components/toast";
import { Alert, Button, Card, ConfirmButton, EmptyState, ErrorView, LinkButton, Loading, SectionTitle, cx } from "@/components/ui";
import type { Category } from "@/lib/bill";
import { formatDate } from "@/lib/dates";
import { useI18n } from "@/lib/i18n-react";
import { useRecurring, useRecurringAction, type Group } from "@/lib/queries";
import type { RecurringOut } from "@/lib/recurring";

export function RecurringTab({ group }: { group: Group }) {
  const { t } = useI18n();
  const list = useRecurring(group.id);
  const items = list.data?.items ?? [];
  return (
    <Card aria-labelledby="recurring-title">
      <SectionTitle
        id="recurring-title"
        action={
          <LinkButton href={`/groups/${group.id}/recurring/new`} variant="secondary">
            + {t("recurring.new")}
          </LinkButton>
        }
      >
        {t("recurring.title")}
      </SectionTitle>
      <p className="mb-3 text-sm text-slate-700">
        {t("recurring.intro")} {t("recurring.runsAt")}
      </p>
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <ErrorView error={list.error} onRetry={() => void list.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState>{t("recurring.empty")}</EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100" data-testid="recurring-list">
          {items.map((r) => (
            <RecurringRow key={r.id} group={group} template={r} />
          ))}
        </ul>
      )}
    </Card>
  );
}

function RecurringRow({ group, template: r }: { group: Group; template: RecurringOut }) {
  const { t, locale } = useI18n();
  const toast = useToast();
  const action = useRecurringAction(group.id);
  const stopped = r.status === "stopped";
  const run = (what: "stop" | "resume" | "delete") => {
    action.mutate(
      { rid: r.id, action: what },
      {
        onSuccess: () => {
          if (what === "delete") toast(t("recurring.deleted"));
        },
        onError: (e) => toast(e instanceof Error ? e.message : String(e), "error"),
      },
    );
  };
  return (
    <li className="py-3" data-testid="recurring-item">
      <div className="flex items-start gap-3">
        <CategoryIcon category={r.category as Category} />
        <div className="min-w-0 flex-1">
          <p className="flex flex-wrap items-center gap-2">
            <span className="font-medium text-slate-900">{r.title}</span>
            {stopped ? <span className="rounded-full bg-slate-200 px-2 py-0.5 text-xs font-semibold text-slate-800">{t("recurring.stopped")}</span> : null}
          </p>
          <p className="text-sm text-slate-700">
            {t(`recurring.interval.${r.interval}`)}
            {stopped ? null : (
              <>
                {" · "}
                <span data-testid="recurring-next">{t("recurring.next", { date: formatDate(r.next_due, locale) })}</span>
              </>
            )}
            {r.last_bill_id ? (
              <>
                {" · "}
                <Link className="text-brand-800 underline" href={`/groups/${group.id}/bills/${r.last_bill_id}`}>
                  {t("recurring.lastBill")}
                </Link>
              </>
            ) : null}
          </p>
        </div>
        <Money amount={r.total} currency={r.currency} className={cx("shrink-0 font-semibold", stopped ? "text-slate-600" : "text-slate-900")} />
      </div>
      {r.last_error ? (
        <div className="mt-2">
          <Alert>{t("recurring.lastError", { error: r.last_error })}</Alert>
        </div>
      ) : null}
      <div className="mt-2 flex flex-wrap gap-2 sm:pl-13">
        <LinkButton href={`/groups/${group.id}/recurring/${r.id}/edit`} variant="secondary" small>
          {t("common.edit")}
        </LinkButton>
        <Button variant="secondary" small busy={action.isPending} onClick={() => run(stopped ? "resume" : "stop")}>
          {stopped ? t("recurring.resume") : t("recurring.stop")}
        </Button>
        <ConfirmButton
          variant="ghost"
          small
          question={t("recurring.deleteConfirm", { title: r.title })}
          confirmLabel={t("common.delete")}
          onConfirm={() => run("delete")}
          aria-label={`${t("common.delete")}: ${r.title}`}
        >
          {t("common.delete")}
        </ConfirmButton>
      </div>
    </li>
  );
}
