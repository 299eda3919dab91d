"use client";

import { useRef, useState, type FormEvent } from "react";

import { CopyButton } from "@/components/copy-button";
import { ErrorSummary, useApiErrors } from "@/components/form";
import { Money } from "@/components/money";
import { useToast } from "@/components/toast";
import { Button, Card, EmptyState, ErrorView, Loading, SectionTitle, SelectField, TextField, cx, errorMessage } from "@/components/ui";
import { idempotencyKey } from "@/lib/api/client";
import { formatDateTime } from "@/lib/dates";
import { useI18n } from "@/lib/i18n-react";
import { useMemberDirectory } from "@/lib/members";
import { absAmount, exampleAmountText, formatAmountInput, isZero, parseAmount } from "@/lib/money";
import { moneyIssueMessage } from "@/lib/messages-helpers";
import { useBalances, usePaymentAction, usePayments, useRecordPayment, useSettle, type Group, type Payment, type Transfer } from "@/lib/queries";

export function BalancesTab({ group, compact = false }: { group: Group; compact?: boolean }) {
  const { t } = useI18n();
  const balances = useBalances(group.id);
  const dir = useMemberDirectory(group.id);

  return (
    <div className={cx("grid gap-4", !compact && "lg:grid-cols-2")}>
      <Card aria-labelledby={`balances-title${compact ? "-c" : ""}`}>
        <SectionTitle id={`balances-title${compact ? "-c" : ""}`}>{t("balances.title")}</SectionTitle>
        {balances.isPending ? (
          <Loading />
        ) : balances.error ? (
          <ErrorView error={balances.error} onRetry={() => void balances.refetch()} />
        ) : (
          <ul className="divide-y divide-slate-100" data-testid="balances">
            {balances.data.items.map((b) => {
              const zero = isZero(b.balance, balances.data.currency);
              const negative = b.balance.startsWith("-");
              return (
                <li key={b.member_id} className="flex items-center justify-between gap-3 py-2">
                  <span className="min-w-0 truncate text-slate-900">{dir.name(b.member_id) === `#${b.member_id}` ? b.name : dir.name(b.member_id)}</span>
                  <span className={cx("shrink-0 text-right text-sm", zero ? "text-slate-600" : negative ? "text-red-700" : "text-emerald-700")}>
                    {zero ? (
                      t("balances.settled")
                    ) : (
                      <>
                        {negative ? t("balances.owes") : t("balances.owed")}{" "}
                        <Money amount={absAmount(b.balance)} currency={balances.data.currency} className="font-semibold" />
                      </>
                    )}
                  </span>
                </li>
              );
            })}
          </ul>
        )}
      </Card>
      <SettleCard group={group} />
      {compact ? null : <PaymentsCard group={group} />}
    </div>
  );
}

const METHOD_KEYS = {
  bank: "profile.payoutMethod.bank",
  ewallet: "profile.payoutMethod.ewallet",
  other: "profile.payoutMethod.other",
} as const;

/** How long "Undo" stays offered after recording a payment. */
const UNDO_MS = 8000;

/** After recording: a toast that says what happened, with "Undo" (deletes it) for a few seconds. */
function useRecordedToast(group: Group) {
  const { t } = useI18n();
  const toast = useToast();
  const dir = useMemberDirectory(group.id);
  const action = usePaymentAction();
  return (p: Payment, onUndone?: () => void) =>
    toast(p.status === "pending" ? t("settle.recordedPending", { name: dir.name(p.to_member_id) }) : t("settle.recorded"), "success", {
      ms: UNDO_MS,
      action: {
        label: t("payments.undo"),
        run: () =>
          action.mutate(
            { gid: group.id, pid: p.id, action: "delete" },
            {
              onSuccess: () => {
                onUndone?.();
                toast(t("payments.undone"), "info");
              },
              onError: (e) => toast(errorMessage(t, e), "error"),
            },
          ),
      },
    });
}

function SettleCard({ group }: { group: Group }) {
  const { t, locale } = useI18n();
  const settle = useSettle(group.id);
  const dir = useMemberDirectory(group.id);
  const record = useRecordPayment(group.id);
  const recordedToast = useRecordedToast(group);
  const [recorded, setRecorded] = useState<Set<string>>(new Set());
  const [editing, setEditing] = useState<{ key: string; amount: string; error?: string[]; idem: string } | null>(null);
  const errors = useApiErrors((p) => p === "amount");

  function recordTransfer(e: FormEvent, tr: Transfer, key: string) {
    e.preventDefault();
    if (!editing) return;
    errors.clear();
    const parsed = parseAmount(editing.amount, { locale, currency: tr.currency, allowZero: false });
    if (!parsed.ok) {
      setEditing({ ...editing, error: [moneyIssueMessage(t, parsed.error, tr.currency, locale)] });
      return;
    }
    record.mutate(
      {
        body: { from_member_id: tr.from_member_id, to_member_id: tr.to_member_id, amount: parsed.value, currency: tr.currency },
        key: editing.idem,
      },
      {
        onSuccess: (p) => {
          setEditing(null);
          setRecorded((s) => new Set(s).add(key));
          recordedToast(p, () =>
            setRecorded((s) => {
              const next = new Set(s);
              next.delete(key);
              return next;
            }),
          );
        },
        onError: (err) => errors.fail(err),
      },
    );
  }

  return (
    <Card aria-labelledby="settle-title">
      <SectionTitle id="settle-title">{t("settle.title")}</SectionTitle>
      {settle.isPending ? (
        <Loading />
      ) : settle.error ? (
        <ErrorView error={settle.error} onRetry={() => void settle.refetch()} />
      ) : settle.data.items.length === 0 ? (
        <p className="text-slate-700">{t("balances.allSettled")}</p>
      ) : (
        <ul className="space-y-3" data-testid="settle">
          {settle.data.items.map((tr) => {
            const key = `${tr.from_member_id}-${tr.to_member_id}-${tr.amount}`;
            return (
              <li key={key} className="rounded-lg bg-slate-50 p-3 ring-1 ring-slate-200">
                <div className="flex flex-wrap items-baseline justify-between gap-2">
                  <span className="text-slate-900">{t("settle.pays", { from: dir.name(tr.from_member_id), to: dir.name(tr.to_member_id) })}</span>
                  <Money amount={tr.amount} currency={tr.currency} className="text-lg font-bold text-slate-900" />
                </div>
                {tr.payout ? (
                  <div className="mt-2 flex flex-wrap items-center justify-between gap-2 rounded-md bg-white p-2 text-sm ring-1 ring-slate-200">
                    <div className="min-w-0">
                      <p className="text-slate-600">
                        {t("settle.payoutTo")}
                        {tr.payout.method && tr.payout.method in METHOD_KEYS ? ` · ${t(METHOD_KEYS[tr.payout.method as keyof typeof METHOD_KEYS])}` : ""}
                      </p>
                      <p className="font-medium text-slate-900">{tr.payout.account_name}</p>
                      <p className="tabular font-mono text-slate-900">{tr.payout.account_number}</p>
                    </div>
                    {tr.payout.account_number ? <CopyButton text={tr.payout.account_number} label={t("settle.copyAccount")} /> : null}
                  </div>
                ) : (
                  <p className="mt-1 text-sm text-slate-600">{t("settle.noPayout", { name: dir.name(tr.to_member_id) })}</p>
                )}
                {editing?.key === key ? (
                  <form onSubmit={(e) => recordTransfer(e, tr, key)} noValidate className="mt-2 space-y-2" data-testid="record-payment">
                    <ErrorSummary messages={errors.summary} />
                    <TextField
                      label={t("payments.amount")}
                      hint={t("settle.checkAmount")}
                      inputMode="decimal"
                      autoComplete="off"
                      autoFocus
                      value={editing.amount}
                      onChange={(e) => setEditing({ ...editing, amount: e.target.value, error: undefined })}
                      errors={editing.error ?? errors.at("amount")}
                    />
                    <div className="flex gap-2">
                      <Button type="submit" small busy={record.isPending}>
                        {t("settle.record")}
                      </Button>
                      <Button small variant="secondary" onClick={() => setEditing(null)}>
                        {t("common.cancel")}
                      </Button>
                    </div>
                  </form>
                ) : (
                  <div className="mt-2">
                    <Button
                      small
                      disabled={recorded.has(key)}
                      onClick={() => {
                        errors.clear();
                        setEditing({ key, amount: formatAmountInput(tr.amount, tr.currency, locale), idem: idempotencyKey() });
                      }}
                    >
                      {recorded.has(key) ? `✓ ${t("settle.recorded")}` : t("settle.record")}
                    </Button>
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}

const STATUS_STYLE: Record<Payment["status"], string> = {
  pending: "bg-amber-100 text-amber-900",
  confirmed: "bg-emerald-100 text-emerald-900",
  rejected: "bg-slate-200 text-slate-800",
};

function PaymentsCard({ group }: { group: Group }) {
  const { t, locale } = useI18n();
  const toast = useToast();
  const payments = usePayments(group.id);
  const dir = useMemberDirectory(group.id);
  const action = usePaymentAction();
  const items = payments.data?.pages.flatMap((p) => p.items) ?? [];
  const myId = group.my_member_id;

  function act(p: Payment, kind: "confirm" | "reject" | "delete") {
    action.mutate(
      { gid: group.id, pid: p.id, action: kind },
      {
        onSuccess: () => toast(kind === "confirm" ? t("payments.confirmed") : kind === "reject" ? t("payments.rejected") : t("payments.deleted"), kind === "confirm" ? "success" : "info"),
        onError: (e) => toast(errorMessage(t, e), "error"),
      },
    );
  }

  return (
    <Card aria-labelledby="payments-title" className="lg:col-span-2">
      <SectionTitle id="payments-title">{t("payments.title")}</SectionTitle>
      <NewPaymentForm group={group} />
      {payments.isPending ? (
        <Loading />
      ) : payments.error ? (
        <ErrorView error={payments.error} onRetry={() => void payments.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState>{t("payments.empty")}</EmptyState>
      ) : (
        <ul className="mt-4 divide-y divide-slate-100" data-testid="payments">
          {items.map((p) => {
            const busy = action.isPending && action.variables?.pid === p.id;
            return (
              <li key={p.id} className="flex flex-wrap items-center justify-between gap-2 py-3">
                <div className="min-w-0">
                  <p className="text-slate-900">
                    {t("payments.line", { from: dir.name(p.from_member_id), to: dir.name(p.to_member_id) })}{" "}
                    <Money amount={p.amount} currency={p.currency} className="font-semibold" />
                  </p>
                  <p className="text-xs text-slate-600">
                    <span className={cx("mr-2 rounded px-1.5 py-0.5 font-medium", STATUS_STYLE[p.status])}>{t(`payments.status.${p.status}`)}</span>
                    {formatDateTime(p.created_at, locale)}
                    {p.recorded_by_member_id !== null && p.recorded_by_member_id !== p.from_member_id ? (
                      <span data-testid="recorded-by"> · {t("payments.recordedBy", { name: dir.name(p.recorded_by_member_id) })}</span>
                    ) : null}
                  </p>
                </div>
                <div className="flex gap-2">
                  {p.status === "pending" && p.to_member_id === myId ? (
                    <>
                      <Button small busy={busy && action.variables?.action === "confirm"} onClick={() => act(p, "confirm")}>
                        {t("common.confirm")}
                      </Button>
                      <Button small variant="secondary" busy={busy && action.variables?.action === "reject"} onClick={() => act(p, "reject")}>
                        {t("common.reject")}
                      </Button>
                    </>
                  ) : null}
                  {p.recorded_by_member_id === myId || p.to_member_id === myId ? (
                    <Button small variant="ghost" busy={busy && action.variables?.action === "delete"} onClick={() => act(p, "delete")}>
                      {t("common.delete")}
                    </Button>
                  ) : null}
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {payments.hasNextPage ? (
        <Button variant="secondary" className="mt-3" busy={payments.isFetchingNextPage} onClick={() => void payments.fetchNextPage()}>
          {t("common.loadMore")}
        </Button>
      ) : null}
    </Card>
  );
}

function NewPaymentForm({ group }: { group: Group }) {
  const { t, locale } = useI18n();
  const dir = useMemberDirectory(group.id);
  const record = useRecordPayment(group.id);
  const recordedToast = useRecordedToast(group);
  const [open, setOpen] = useState(false);
  const [from, setFrom] = useState(String(group.my_member_id));
  const [to, setTo] = useState("");
  const [amount, setAmount] = useState("");
  const [amountError, setAmountError] = useState<string[] | undefined>();
  const key = useRef(idempotencyKey());
  const errors = useApiErrors((p) => ["from_member_id", "to_member_id", "amount"].includes(p));

  function submit(e: FormEvent) {
    e.preventDefault();
    errors.clear();
    const parsed = parseAmount(amount, { locale, currency: group.currency, allowZero: false });
    if (!parsed.ok) {
      setAmountError([moneyIssueMessage(t, parsed.error, group.currency, locale)]);
      return;
    }
    setAmountError(undefined);
    record.mutate(
      { body: { from_member_id: Number(from), to_member_id: Number(to), amount: parsed.value, currency: group.currency }, key: key.current },
      {
        onSuccess: (p) => {
          key.current = idempotencyKey();
          setAmount("");
          setOpen(false);
          recordedToast(p);
        },
        onError: (err) => errors.fail(err),
      },
    );
  }

  if (!open) {
    return (
      <Button variant="secondary" small onClick={() => setOpen(true)}>
        + {t("payments.new")}
      </Button>
    );
  }
  return (
    <form onSubmit={submit} noValidate className="grid gap-3 rounded-lg bg-slate-50 p-3 ring-1 ring-slate-200 sm:grid-cols-3">
      <div className="sm:col-span-3">
        <ErrorSummary messages={errors.summary} />
      </div>
      <SelectField label={t("payments.from")} value={from} onChange={(e) => setFrom(e.target.value)} errors={errors.at("from_member_id")}>
        {dir.active.map((m) => (
          <option key={m.id} value={m.id}>
            {dir.name(m.id)}
          </option>
        ))}
      </SelectField>
      <SelectField label={t("payments.to")} value={to} onChange={(e) => setTo(e.target.value)} errors={errors.at("to_member_id")} required>
        <option value="" disabled>
          —
        </option>
        {dir.active
          .filter((m) => String(m.id) !== from)
          .map((m) => (
            <option key={m.id} value={m.id}>
              {dir.name(m.id)}
            </option>
          ))}
      </SelectField>
      <TextField
        label={t("payments.amount")}
        inputMode="decimal"
        autoComplete="off"
        placeholder={exampleAmountText(group.currency, locale)}
        value={amount}
        onChange={(e) => setAmount(e.target.value)}
        errors={amountError ?? errors.at("amount")}
      />
      <div className="flex gap-2 sm:col-span-3">
        <Button type="submit" busy={record.isPending} disabled={!to}>
          {t("settle.record")}
        </Button>
        <Button variant="secondary" onClick={() => setOpen(false)}>
          {t("common.cancel")}
        </Button>
      </div>
    </form>
  );
}
