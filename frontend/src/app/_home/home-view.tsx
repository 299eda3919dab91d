"use client";

import Link from "next/link";
import { useRef, useState, type FormEvent } from "react";

import { ErrorSummary, useApiErrors } from "@/components/form";
import { BalanceLabel, Money } from "@/components/money";
import { useToast } from "@/components/toast";
import { Alert, Button, Card, EmptyState, ErrorView, LinkButton, Loading, SectionTitle, SelectField, TextField, errorMessage } from "@/components/ui";
import { idempotencyKey } from "@/lib/api/client";
import { isApiError } from "@/lib/api/errors";
import { useI18n } from "@/lib/i18n-react";
import { COMMON_CURRENCIES, fromMinor, toMinor } from "@/lib/money";
import { useCreateGroup, useGroups, useMe, useMyPendingPayments, usePaymentAction, type Group, type Me } from "@/lib/queries";
import { useRouter } from "next/navigation";

export function HomeView() {
  const me = useMe();
  if (me.data) return <Dashboard me={me.data} />;
  if (isApiError(me.error) && me.error.status === 401) return <Landing />;
  if (me.error) return <ErrorView error={me.error} onRetry={() => void me.refetch()} />;
  return <Loading />;
}

function Landing() {
  const { t } = useI18n();
  return (
    <div className="mx-auto max-w-2xl py-6 text-center sm:py-12">
      <h1 className="text-3xl font-extrabold tracking-tight text-slate-900 sm:text-4xl">{t("app.name")}</h1>
      <p className="mt-3 text-lg text-slate-700">{t("app.tagline")}</p>
      <div className="mt-6 flex flex-wrap justify-center gap-3">
        <LinkButton href="/signup">{t("landing.cta")}</LinkButton>
        <LinkButton href="/login" variant="secondary">
          {t("nav.login")}
        </LinkButton>
      </div>
      <ul className="mt-10 grid gap-3 text-left sm:grid-cols-3">
        {(["landing.feature1", "landing.feature2", "landing.feature3"] as const).map((k) => (
          <li key={k} className="rounded-xl bg-white p-4 text-slate-800 shadow-sm ring-1 ring-slate-200">
            {t(k)}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Per currency: what I owe and what I'm owed across groups (integer minor units). */
function totalsByCurrency(groups: Group[]): { currency: string; owe: string; owed: string }[] {
  const map = new Map<string, { owe: bigint; owed: bigint }>();
  for (const g of groups) {
    const minor = toMinor(g.my_balance, g.currency);
    const entry = map.get(g.currency) ?? { owe: 0n, owed: 0n };
    if (minor < 0n) entry.owe -= minor;
    else entry.owed += minor;
    map.set(g.currency, entry);
  }
  return [...map.entries()].map(([currency, v]) => ({
    currency,
    owe: fromMinor(v.owe, currency),
    owed: fromMinor(v.owed, currency),
  }));
}

function Dashboard({ me }: { me: Me }) {
  const { t } = useI18n();
  const groups = useGroups();
  const all = groups.data?.pages.flatMap((p) => p.items) ?? [];
  const [creating, setCreating] = useState(false);

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-bold tracking-tight">{t("home.hello", { name: me.name })}</h1>
        <div className="grid w-full grid-cols-[1fr_auto] gap-2 sm:flex sm:w-auto">
          <LinkButton href="/split">{t("home.splitNow")}</LinkButton>
          <Button variant="secondary" onClick={() => setCreating((v) => !v)} aria-expanded={creating}>
            {t("home.newGroup")}
          </Button>
        </div>
      </div>

      {creating ? <NewGroupForm me={me} onCancel={() => setCreating(false)} /> : null}

      {groups.data && all.length > 0 ? (
        <Card aria-labelledby="totals-title">
          <SectionTitle id="totals-title">{t("home.totalTitle")}</SectionTitle>
          <dl className="grid grid-cols-2 gap-3">
            {totalsByCurrency(all).map((row) => (
              <div key={row.currency} className="contents">
                <div className="rounded-lg bg-red-50 p-3">
                  <dt className="text-sm text-red-900">{t("home.youOwe")}</dt>
                  <dd className="text-base font-bold text-red-800 sm:text-lg">
                    <Money amount={row.owe} currency={row.currency} />
                  </dd>
                </div>
                <div className="rounded-lg bg-emerald-50 p-3">
                  <dt className="text-sm text-emerald-900">{t("home.youAreOwed")}</dt>
                  <dd className="text-base font-bold text-emerald-800 sm:text-lg">
                    <Money amount={row.owed} currency={row.currency} />
                  </dd>
                </div>
              </div>
            ))}
          </dl>
        </Card>
      ) : null}

      <PendingPayments />

      <section aria-labelledby="groups-title">
        <SectionTitle id="groups-title">{t("home.groups")}</SectionTitle>
        {groups.isPending ? (
          <Loading />
        ) : groups.error ? (
          <ErrorView error={groups.error} onRetry={() => void groups.refetch()} />
        ) : all.length === 0 ? (
          <EmptyState action={<LinkButton href="/split">{t("home.splitNow")}</LinkButton>}>{t("home.noGroups")}</EmptyState>
        ) : (
          <ul className="grid gap-3 sm:grid-cols-2">
            {all.map((g) => (
              <li key={g.id}>
                <Link
                  href={`/groups/${g.id}`}
                  className="block rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200 hover:ring-brand-600"
                >
                  <span className="block truncate font-semibold text-slate-900">{g.name}</span>
                  <span className="mt-1 flex flex-wrap items-baseline justify-between gap-x-3">
                    <span className="text-sm text-slate-600">
                      {t("home.members", { count: g.member_count })} · {g.currency}
                    </span>
                    <BalanceLabel amount={g.my_balance} currency={g.currency} />
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
        {groups.hasNextPage ? (
          <Button variant="secondary" className="mt-3" busy={groups.isFetchingNextPage} onClick={() => void groups.fetchNextPage()}>
            {t("common.loadMore")}
          </Button>
        ) : null}
      </section>
    </div>
  );
}

function PendingPayments() {
  const { t } = useI18n();
  const toast = useToast();
  const pending = useMyPendingPayments();
  const action = usePaymentAction();
  const items = pending.data?.items ?? [];
  if (pending.isPending || (items.length === 0 && !pending.error)) return null;
  return (
    <Card aria-labelledby="pending-title" className="ring-amber-300">
      <SectionTitle id="pending-title">{t("home.pending")}</SectionTitle>
      {pending.error ? <ErrorView error={pending.error} onRetry={() => void pending.refetch()} /> : null}
      <ul className="divide-y divide-slate-200">
        {items.map((p) => (
          <li key={p.id} className="flex flex-wrap items-center justify-between gap-3 py-3">
            <div className="min-w-0">
              <p className="font-medium text-slate-900">
                {p.recorded_by_member_name && p.recorded_by_member_id !== p.from_member_id
                  ? t("home.pendingItemBy", { by: p.recorded_by_member_name, from: p.from_member_name })
                  : t("home.pendingItem", { from: p.from_member_name })}{" "}
                <Money amount={p.amount} currency={p.currency} className="font-semibold" />
              </p>
              <Link href={`/groups/${p.group_id}`} className="text-sm text-brand-800 underline">
                {p.group_name}
              </Link>
            </div>
            <div className="flex gap-2">
              <Button
                small
                busy={action.isPending && action.variables?.pid === p.id && action.variables.action === "confirm"}
                onClick={() =>
                  action.mutate(
                    { gid: p.group_id, pid: p.id, action: "confirm" },
                    { onSuccess: () => toast(t("payments.confirmed")), onError: (e) => toast(errorMessage(t, e), "error") },
                  )
                }
              >
                {t("common.confirm")}
              </Button>
              <Button
                small
                variant="secondary"
                busy={action.isPending && action.variables?.pid === p.id && action.variables.action === "reject"}
                onClick={() =>
                  action.mutate(
                    { gid: p.group_id, pid: p.id, action: "reject" },
                    { onSuccess: () => toast(t("payments.rejected"), "info"), onError: (e) => toast(errorMessage(t, e), "error") },
                  )
                }
              >
                {t("common.reject")}
              </Button>
            </div>
          </li>
        ))}
      </ul>
    </Card>
  );
}

function NewGroupForm({ me, onCancel }: { me: Me; onCancel: () => void }) {
  const { t } = useI18n();
  const router = useRouter();
  const create = useCreateGroup();
  const errors = useApiErrors((p) => p === "name" || p === "currency");
  const [name, setName] = useState("");
  const [currency, setCurrency] = useState(me.default_currency || "IDR");
  const key = useRef(idempotencyKey());

  function submit(e: FormEvent) {
    e.preventDefault();
    errors.clear();
    create.mutate(
      { body: { name, currency, simplify_debts: true }, key: key.current },
      { onSuccess: (g) => router.push(`/groups/${g.id}?tab=members`), onError: (err) => errors.fail(err) },
    );
  }
  return (
    <Card aria-labelledby="new-group-title">
      <SectionTitle id="new-group-title">{t("group.new.title")}</SectionTitle>
      <form onSubmit={submit} noValidate className="grid gap-4 sm:grid-cols-[1fr_10rem]">
        <div className="sm:col-span-2">
          <ErrorSummary messages={errors.summary} />
        </div>
        <TextField label={t("group.name")} value={name} onChange={(e) => setName(e.target.value)} required errors={errors.at("name")} autoFocus />
        <SelectField label={t("group.currency")} value={currency} onChange={(e) => setCurrency(e.target.value)} errors={errors.at("currency")}>
          {COMMON_CURRENCIES.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </SelectField>
        <div className="flex gap-2 sm:col-span-2">
          <Button type="submit" busy={create.isPending}>
            {t("group.create")}
          </Button>
          <Button variant="secondary" onClick={onCancel}>
            {t("common.cancel")}
          </Button>
        </div>
      </form>
      {create.isError && !errors.summary.length ? <Alert className="mt-3">{errorMessage(t, create.error)}</Alert> : null}
    </Card>
  );
}
