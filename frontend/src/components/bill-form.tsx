"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState, type Dispatch, type FormEvent, type ReactNode, type SetStateAction } from "react";

import { Money } from "@/components/money";
import { ReceiptScan } from "@/components/ReceiptScan";
import { Alert, Button, Card, Checkbox, Chip, SectionTitle, SelectField, TextArea, TextField, cx } from "@/components/ui";
import { isApiError, type FieldErrors } from "@/lib/api/errors";
import {
  CATEGORIES,
  CHARGE_FIELDS,
  SPLIT_MODES,
  buildBillBody,
  emptyItem,
  toFormPath,
  type BillBody,
  type BillDraft,
  type ChargeField,
  type Issue,
  type SplitMode,
} from "@/lib/bill";
import { useI18n } from "@/lib/i18n-react";
import { useDebounced } from "@/lib/use-debounced";
import { issueMessage } from "@/lib/messages-helpers";
import { COMMON_CURRENCIES, exampleAmountText, formatMoney, formatPercent, fromMinor, parseAmount, parsePercent, toMinor } from "@/lib/money";
import { previewFromDraft, type PreviewOutcome } from "@/lib/bill-preview";
import { previewBill, type BillIn, type Group, type Member } from "@/lib/queries";
import { INTERVALS, type Interval } from "@/lib/recurring";

/** Issues worth showing only once the person tried to save (not while still typing). */
const ON_SUBMIT_ONLY = new Set<Issue["code"]>(["required", "no_members", "no_payer", "no_items", "payers_mismatch"]);

const TOP_LEVEL = new Set([
  "title",
  "interval",
  "date",
  "category",
  "currency",
  "exchange_rate",
  "notes",
  "total",
  "payers",
  "split.items",
  "split.members",
  ...CHARGE_FIELDS.map((f) => `split.charges.${f}`),
]);

const NO_FIELDS: FieldErrors = {};

/**
 * A save's answer (its field errors, its banner) while the draft is still the one it answered:
 * once the person edits, it is about a value that may be fixed, so it goes (the debounced server
 * check and the next save speak for the new draft).
 */
export function useUntilDraftEdited<T>(value: T, draft: BillDraft, stale: T): T {
  const key = JSON.stringify(draft);
  const [seen, setSeen] = useState({ value, key });
  if (seen.value !== value) {
    setSeen({ value, key });
    return value;
  }
  return seen.key === key ? value : stale;
}

export function isFormPath(path: string): boolean {
  return TOP_LEVEL.has(path) || /^(item|member|payer):/.test(path);
}

export interface BillFormProps {
  group: Group;
  members: Member[];
  draft: BillDraft;
  setDraft: Dispatch<SetStateAction<BillDraft>>;
  /** Field errors from the last save, keyed by API path. */
  serverFields: FieldErrors;
  /** Messages for the top of the form (errors no field shows, conflicts, ...). */
  banner?: ReactNode;
  submitLabel: string;
  busy: boolean;
  /** Read-only while a save is waiting for the connection (what is sent stays what is shown). */
  locked?: boolean;
  onSubmit: (body: BillIn) => void;
  /** A recurring bill's template (lib/recurring.ts): the date is the first bill's, an interval
   * is picked, and the currency is always the group's. */
  recurring?: { interval: Interval; onInterval: (interval: Interval) => void };
}

export function BillForm({ group, members, draft, setDraft, serverFields, banner, submitLabel, busy, locked = false, onSubmit, recurring }: BillFormProps) {
  const { t, locale } = useI18n();
  const [submitted, setSubmitted] = useState(false);
  const saveFields = useUntilDraftEdited(serverFields, draft, NO_FIELDS);
  const formRef = useRef<HTMLFormElement>(null);
  const built = useMemo(() => buildBillBody(draft, { locale, groupCurrency: group.currency }), [draft, locale, group.currency]);
  const cur = draft.currency;
  const foreign = cur !== group.currency;

  // --- per-person preview, computed here with the server's rules (lib/split.ts) ---------------
  const local = useMemo(
    () => previewFromDraft(draft, { locale, groupCurrency: group.currency, fallbackPayer: members[0]?.id ?? null, built }),
    [draft, locale, group.currency, members, built],
  );

  // --- server check (debounced): POST /bills/preview, for its field messages only --------------
  const previewBody = useMemo(() => {
    if (!built.body) return null;
    const body: BillBody = { ...built.body };
    delete body.version;
    return JSON.stringify(body);
  }, [built.body]);
  const debouncedBody = useDebounced(previewBody, 400);
  const preview = useQuery({
    queryKey: ["preview", group.id, debouncedBody],
    queryFn: ({ signal }) => previewBill(group.id, JSON.parse(debouncedBody!) as BillIn, signal),
    enabled: debouncedBody !== null,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    retry: (count, e) => isApiError(e) && e.status === 429 && count < 2,
  });
  const previewError = preview.error;
  const previewFields = useMemo(
    () => (previewError && isApiError(previewError) && debouncedBody === previewBody ? previewError.fields : {}),
    [previewError, debouncedBody, previewBody],
  );

  // --- errors by form path ------------------------------------------------------------------
  const errors = useMemo(() => {
    const out: Record<string, string[]> = {};
    const add = (path: string, msg: string) => {
      const p = toFormPath(path, built.rows);
      const list = (out[p] ??= []);
      if (!list.includes(msg)) list.push(msg);
    };
    for (const [path, issue] of Object.entries(built.issues)) {
      if (!submitted && ON_SUBMIT_ONLY.has(issue.code)) continue;
      add(path, issueMessage(t, issue, locale));
    }
    for (const [path, msgs] of Object.entries(previewFields)) msgs.forEach((m) => add(path, m));
    for (const [path, msgs] of Object.entries(saveFields)) msgs.forEach((m) => add(path, m));
    return out;
  }, [built, submitted, previewFields, saveFields, t, locale]);
  const err = (path: string) => errors[path];
  const unplaced = Object.entries(errors)
    .filter(([p]) => !isFormPath(p))
    .flatMap(([, m]) => m);

  function update<K extends keyof BillDraft>(key: K, value: BillDraft[K]) {
    setDraft((d) => ({ ...d, [key]: value }));
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    setSubmitted(true);
    if (!built.body) {
      requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>("[aria-invalid=true]")?.focus());
      return;
    }
    onSubmit(built.body);
  }

  const sample = exampleAmountText(cur, locale);
  const moneyProps = { inputMode: "decimal" as const, autoComplete: "off", placeholder: sample };

  return (
    <form ref={formRef} onSubmit={submit} noValidate className="lg:grid lg:grid-cols-[1fr_22rem] lg:items-start lg:gap-6">
      <fieldset disabled={locked} className="min-w-0 space-y-4">
        {banner}
        {unplaced.length ? (
          <Alert>
            <ul className="list-disc pl-5">
              {unplaced.map((m, i) => (
                <li key={i}>{m}</li>
              ))}
            </ul>
          </Alert>
        ) : null}
        {submitted && !built.body ? <Alert>{t("error.formHasErrors")}</Alert> : null}

        <Card>
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField
              className="sm:col-span-2"
              label={t("bill.title")}
              placeholder={t("bill.titlePlaceholder")}
              value={draft.title}
              onChange={(e) => update("title", e.target.value)}
              errors={err("title")}
              maxLength={200}
            />
            <TextField
              label={recurring ? t("recurring.startDate") : t("bill.date")}
              hint={recurring ? t("recurring.startDateHint") : undefined}
              type="date"
              value={draft.date}
              onChange={(e) => update("date", e.target.value)}
              errors={err("date")}
            />
            {recurring ? (
              <SelectField
                label={t("recurring.interval")}
                value={recurring.interval}
                onChange={(e) => recurring.onInterval(e.target.value as Interval)}
                errors={err("interval")}
              >
                {INTERVALS.map((i) => (
                  <option key={i} value={i}>
                    {t(`recurring.interval.${i}`)}
                  </option>
                ))}
              </SelectField>
            ) : null}
            <SelectField
              label={t("bill.category")}
              value={draft.category}
              onChange={(e) => update("category", e.target.value as BillDraft["category"])}
              errors={err("category")}
            >
              {CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {t(`category.${c}`)}
                </option>
              ))}
            </SelectField>
            {recurring ? null : (
            <SelectField label={t("bill.currency")} value={cur} onChange={(e) => update("currency", e.target.value)} errors={err("currency")}>
              {[group.currency, ...COMMON_CURRENCIES.filter((c) => c !== group.currency)].map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </SelectField>
            )}
            {foreign && !recurring ? (
              <TextField
                label={t("bill.rate", { from: cur, to: group.currency })}
                hint={t("bill.rateHint", { from: cur, to: group.currency })}
                inputMode="decimal"
                autoComplete="off"
                value={draft.rate}
                onChange={(e) => update("rate", e.target.value)}
                errors={err("exchange_rate")}
              />
            ) : null}
          </div>
        </Card>

        <ModePicker mode={draft.mode} onChange={(mode) => update("mode", mode)} />

        {draft.mode === "itemized" ? <ReceiptScan groupId={group.id} draft={draft} setDraft={setDraft} /> : null}
        {draft.mode === "itemized" ? (
          <ItemsEditor draft={draft} setDraft={setDraft} members={members} err={err} moneyProps={moneyProps} built={built} />
        ) : (
          <MemberSplitEditor draft={draft} setDraft={setDraft} members={members} err={err} moneyProps={moneyProps} />
        )}

        <PayersEditor draft={draft} setDraft={setDraft} members={members} err={err} moneyProps={moneyProps} total={built.total} />

        <Card>
          <TextArea label={`${t("bill.notes")} (${t("common.optional")})`} value={draft.notes} onChange={(e) => update("notes", e.target.value)} errors={err("notes")} maxLength={2000} />
        </Card>
      </fieldset>

      <div className="mt-4 space-y-4 lg:sticky lg:top-20 lg:mt-0">
        <PreviewPanel
          outcome={local}
          members={members}
          group={group}
          billCurrency={cur}
          clientTotal={built.total}
        />
        <Button type="submit" busy={busy && !locked} disabled={locked} className="w-full">
          {submitLabel}
        </Button>
      </div>
    </form>
  );
}

function ModePicker({ mode, onChange }: { mode: SplitMode; onChange: (m: SplitMode) => void }) {
  const { t } = useI18n();
  return (
    <fieldset>
      <legend className="mb-2 text-sm font-medium text-slate-800">{t("bill.mode")}</legend>
      <div className="grid grid-cols-5 gap-1 rounded-xl bg-slate-200 p-1">
        {SPLIT_MODES.map((m) => (
          <label
            key={m}
            className={cx(
              "flex cursor-pointer items-center justify-center rounded-lg px-1 py-2 text-center text-[13px] leading-tight font-medium sm:px-2 sm:text-sm has-[:focus-visible]:outline has-[:focus-visible]:outline-3 has-[:focus-visible]:outline-brand-600",
              mode === m ? "bg-white text-brand-900 shadow-sm" : "text-slate-800 hover:bg-slate-100",
            )}
          >
            <input type="radio" name="split-mode" value={m} checked={mode === m} onChange={() => onChange(m)} className="sr-only" />
            {t(`bill.mode.${m}`)}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

interface EditorProps {
  draft: BillDraft;
  setDraft: Dispatch<SetStateAction<BillDraft>>;
  members: Member[];
  err: (path: string) => string[] | undefined;
  moneyProps: { inputMode: "decimal"; autoComplete: string; placeholder: string };
}

function memberLabel(m: Member, t: (k: "common.youSuffix") => string): string {
  return m.is_me ? `${m.name} ${t("common.youSuffix")}` : m.name;
}

function ItemsEditor({ draft, setDraft, members, err, moneyProps, built }: EditorProps & { built: ReturnType<typeof buildBillBody> }) {
  const { t, locale } = useI18n();
  const cur = draft.currency;
  const lastAdded = useRef<string | null>(null);

  function setItem(key: string, patch: Partial<BillDraft["items"][number]>) {
    setDraft((d) => ({ ...d, items: d.items.map((it) => (it.key === key ? { ...it, ...patch } : it)) }));
  }
  function addItem() {
    const item = emptyItem();
    lastAdded.current = item.key;
    setDraft((d) => ({ ...d, items: [...d.items, item] }));
  }
  useEffect(() => {
    if (lastAdded.current) {
      document.getElementById(`${lastAdded.current}-name`)?.focus();
      lastAdded.current = null;
    }
  }, [draft.items.length]);

  const subtotal = built.itemized ? fromMinor(built.itemized.subtotal, cur) : null;

  return (
    <Card aria-labelledby="items-title">
      <SectionTitle id="items-title">{t("bill.items")}</SectionTitle>
      {err("split.items") ? <p className="mb-2 text-sm text-red-700">{err("split.items")!.join(" ")}</p> : null}
      <ol className="space-y-3">
        {draft.items.map((item, index) => {
          const n = index + 1;
          const base = `item:${item.key}`;
          const bodyIndex = built.rows.items.indexOf(item.key);
          const parsed = bodyIndex >= 0 ? built.body?.split.items?.[bodyIndex] : undefined;
          return (
            <li key={item.key}>
              <fieldset className="rounded-lg bg-slate-50 p-3 ring-1 ring-slate-200" data-testid="item">
                <legend className="sr-only">{t("bill.item", { n })}</legend>
                <div className="grid grid-cols-[1fr_4.5rem] gap-2">
                  <TextField
                    id={`${item.key}-name`}
                    label={t("bill.itemName")}
                    value={item.name}
                    onChange={(e) => setItem(item.key, { name: e.target.value })}
                    errors={err(`${base}.name`)}
                    maxLength={200}
                  />
                  <TextField
                    label={t("bill.itemQty")}
                    inputMode="numeric"
                    autoComplete="off"
                    value={item.quantity}
                    onChange={(e) => setItem(item.key, { quantity: e.target.value })}
                    errors={err(`${base}.quantity`)}
                  />
                </div>
                <div className="mt-2 grid grid-cols-[1fr_auto] items-end gap-2">
                  <TextField
                    label={t("bill.itemPrice")}
                    {...moneyProps}
                    value={item.unitPrice}
                    onChange={(e) => setItem(item.key, { unitPrice: e.target.value })}
                    errors={err(`${base}.unit_price`)}
                  />
                  <span className="pb-2.5 text-right text-sm text-slate-700 tabular">
                    {parsed && parsed.quantity && parsed.quantity > 1
                      ? `= ${formatMoney(fromMinor(toMinor(parsed.unit_price, cur) * BigInt(parsed.quantity), cur), cur, locale)}`
                      : null}
                  </span>
                </div>
                <div className="mt-3">
                  <p className="mb-1.5 text-sm font-medium text-slate-800" id={`${item.key}-who`}>
                    {t("bill.itemSharedBy")}
                  </p>
                  <div className="flex flex-wrap gap-2" role="group" aria-labelledby={`${item.key}-who`}>
                    {members.map((m) => (
                      <Chip
                        key={m.id}
                        checked={item.memberIds.includes(m.id)}
                        onChange={(on) =>
                          setItem(item.key, {
                            memberIds: on ? [...item.memberIds, m.id] : item.memberIds.filter((x) => x !== m.id),
                          })
                        }
                      >
                        {memberLabel(m, t)}
                      </Chip>
                    ))}
                  </div>
                  {err(`${base}.member_ids`) ? <p className="mt-1 text-sm text-red-700">{err(`${base}.member_ids`)!.join(" ")}</p> : null}
                </div>
                {draft.items.length > 1 ? (
                  <div className="mt-2 text-right">
                    <Button
                      variant="ghost"
                      small
                      onClick={() => setDraft((d) => ({ ...d, items: d.items.filter((x) => x.key !== item.key) }))}
                    >
                      {t("bill.removeItem", { n })}
                    </Button>
                  </div>
                ) : null}
              </fieldset>
            </li>
          );
        })}
      </ol>
      <div className="mt-3 flex flex-wrap items-center justify-between gap-2">
        <Button variant="secondary" onClick={addItem}>
          + {t("bill.addItem")}
        </Button>
        {subtotal ? (
          <p className="text-sm text-slate-700">
            {t("bill.subtotal")}: <Money amount={subtotal} currency={cur} className="font-semibold text-slate-900" />
          </p>
        ) : null}
      </div>

      <h3 className="mt-5 mb-2 text-base font-semibold text-slate-900">{t("bill.charges")}</h3>
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-3">
        {CHARGE_FIELDS.map((f: ChargeField) => {
          const isAmount = f === "discount" || f === "tip";
          const label = {
            discount: t("bill.discount"),
            discount_percent: t("bill.discountPercent"),
            service_percent: t("bill.service"),
            tax_percent: t("bill.tax"),
            tip: t("bill.tip"),
          }[f];
          return (
            <TextField
              key={f}
              label={label}
              {...(isAmount ? { ...moneyProps, placeholder: "0" } : { inputMode: "decimal" as const, autoComplete: "off", placeholder: "0" })}
              value={draft.charges[f]}
              onChange={(e) => setDraft((d) => ({ ...d, charges: { ...d.charges, [f]: e.target.value } }))}
              errors={err(`split.charges.${f}`)}
            />
          );
        })}
      </div>
    </Card>
  );
}

function MemberSplitEditor({ draft, setDraft, members, err, moneyProps }: EditorProps) {
  const { t, locale } = useI18n();
  const cur = draft.currency;
  const mode = draft.mode;

  // Hints in exact minor units: what's left to assign, or the percent total.
  let hint: string | null = null;
  if (mode === "exact") {
    const total = parseAmount(draft.total, { locale, currency: cur });
    if (total.ok) {
      let assigned = 0n;
      for (const v of Object.values(draft.memberValues)) {
        const r = parseAmount(v || "0", { locale, currency: cur });
        if (r.ok) assigned += toMinor(r.value, cur);
      }
      hint = t("bill.remainingExact", { amount: formatMoney(fromMinor(toMinor(total.value, cur) - assigned, cur), cur, locale) });
    }
  } else if (mode === "percent") {
    let sum = 0n; // in hundredths of a percent
    for (const v of Object.values(draft.memberValues)) {
      const r = v.trim() ? parsePercent(v, locale) : null;
      if (r?.ok) {
        const [int = "0", frac = ""] = r.value.split(".");
        sum += BigInt(int) * 100n + BigInt(frac.padEnd(2, "0"));
      }
    }
    // Hundredths of a percent -> "33.50": the same digits as an amount with two decimals.
    hint = t("bill.remainingPercent", { percent: formatPercent(fromMinor(sum, "USD"), locale) });
  }

  return (
    <Card aria-labelledby="split-title">
      <SectionTitle id="split-title">{t("bill.splitAmong")}</SectionTitle>
      <TextField
        label={t("bill.total")}
        {...moneyProps}
        value={draft.total}
        onChange={(e) => setDraft((d) => ({ ...d, total: e.target.value }))}
        errors={err("total")}
        className="mb-4"
      />
      {err("split.members") ? <p className="mb-2 text-sm text-red-700">{err("split.members")!.join(" ")}</p> : null}
      {mode === "equal" ? (
        <div>
          <div className="flex flex-wrap gap-2" role="group" aria-label={t("bill.splitAmong")}>
            {members.map((m) => (
              <Chip
                key={m.id}
                checked={draft.memberIds.includes(m.id)}
                onChange={(on) =>
                  setDraft((d) => ({ ...d, memberIds: on ? [...d.memberIds, m.id] : d.memberIds.filter((x) => x !== m.id) }))
                }
              >
                {memberLabel(m, t)}
              </Chip>
            ))}
          </div>
          <Button variant="ghost" small className="mt-2" onClick={() => setDraft((d) => ({ ...d, memberIds: members.map((m) => m.id) }))}>
            {t("bill.selectAll")}
          </Button>
        </div>
      ) : (
        <ul className="space-y-2">
          {members.map((m) => (
            <li key={m.id}>
              <TextField
                label={t(`bill.memberValue.${mode as "exact" | "percent" | "shares"}`, { name: memberLabel(m, t) })}
                {...(mode === "exact" ? moneyProps : { inputMode: "decimal" as const, autoComplete: "off", placeholder: mode === "percent" ? "25" : "1" })}
                value={draft.memberValues[m.id] ?? ""}
                onChange={(e) => setDraft((d) => ({ ...d, memberValues: { ...d.memberValues, [m.id]: e.target.value } }))}
                errors={err(`member:${m.id}`)}
              />
            </li>
          ))}
        </ul>
      )}
      {hint ? (
        <p className="mt-2 text-sm text-slate-700" aria-live="polite">
          {hint}
        </p>
      ) : null}
    </Card>
  );
}

function PayersEditor({ draft, setDraft, members, err, moneyProps, total }: EditorProps & { total: string | null }) {
  const { t, locale } = useI18n();
  const cur = draft.currency;
  let remaining: string | null = null;
  if (draft.multiPayer && total) {
    let paid = 0n;
    for (const v of Object.values(draft.payerAmounts)) {
      const r = parseAmount(v || "0", { locale, currency: cur });
      if (r.ok) paid += toMinor(r.value, cur);
    }
    const left = toMinor(total, cur) - paid;
    remaining =
      left >= 0n
        ? t("bill.payersRemaining", { amount: formatMoney(fromMinor(left, cur), cur, locale) })
        : t("bill.payersOver", { amount: formatMoney(fromMinor(-left, cur), cur, locale) });
  }
  return (
    <Card aria-labelledby="payers-title">
      <SectionTitle id="payers-title">{t("bill.paidBy")}</SectionTitle>
      {draft.multiPayer ? (
        <ul className="space-y-2">
          {members.map((m) => (
            <li key={m.id}>
              <TextField
                label={t("bill.payerAmount", { name: memberLabel(m, t) })}
                {...moneyProps}
                placeholder="0"
                value={draft.payerAmounts[m.id] ?? ""}
                onChange={(e) => setDraft((d) => ({ ...d, payerAmounts: { ...d.payerAmounts, [m.id]: e.target.value } }))}
                errors={err(`payer:${m.id}`)}
              />
            </li>
          ))}
        </ul>
      ) : (
        <SelectField
          label={t("bill.paidBy")}
          hideLabel
          value={draft.payerId ?? ""}
          onChange={(e) => setDraft((d) => ({ ...d, payerId: e.target.value ? Number(e.target.value) : null }))}
          errors={draft.multiPayer ? undefined : err(`payer:${draft.payerId}`)}
        >
          <option value="">—</option>
          {members.map((m) => (
            <option key={m.id} value={m.id}>
              {memberLabel(m, t)}
            </option>
          ))}
        </SelectField>
      )}
      {err("payers") ? <p className="mt-2 text-sm text-red-700">{err("payers")!.join(" ")}</p> : null}
      {remaining ? (
        <p className="mt-2 text-sm text-slate-700" aria-live="polite">
          {remaining}
        </p>
      ) : null}
      <Checkbox
        className="mt-3"
        label={t("bill.severalPayers")}
        checked={draft.multiPayer}
        onChange={(e) => {
          const on = e.target.checked;
          setDraft((d) => ({
            ...d,
            multiPayer: on,
            payerAmounts: on && d.payerId !== null && total && Object.keys(d.payerAmounts).length === 0 ? { [d.payerId]: "" } : d.payerAmounts,
          }));
        }}
      />
    </Card>
  );
}

const PREVIEW_REASONS = new Set(["percent_sum", "exact_sum", "shares_zero", "discount_too_large", "exchange_rate", "total_zero"]);

function PreviewPanel({
  outcome,
  members,
  group,
  billCurrency,
  clientTotal,
}: {
  outcome: PreviewOutcome;
  members: Member[];
  group: Group;
  billCurrency: string;
  clientTotal: string | null;
}) {
  const { t } = useI18n();
  const byId = new Map(members.map((m) => [m.id, m]));
  const name = (id: number) => {
    const m = byId.get(id);
    return m ? memberLabel(m, t) : `#${id}`;
  };
  const preview = outcome.ok ? outcome.preview : null;
  const reason = !outcome.ok && PREVIEW_REASONS.has(outcome.reason) ? t(`bill.previewReason.${outcome.reason as "percent_sum"}`) : null;
  const foreign = billCurrency !== group.currency;
  return (
    <Card aria-labelledby="preview-title" className="ring-brand-600/40">
      <div className="mb-2 flex items-center justify-between">
        <h2 id="preview-title" className="text-lg font-semibold">
          {t("bill.preview")}
        </h2>
      </div>
      {!preview ? (
        <>
          <p className="text-sm text-slate-600" data-testid="preview-hint">
            {reason ?? t("bill.previewHint")}
          </p>
          {clientTotal ? (
            <p className="mt-2 text-sm">
              {t("common.total")}: <Money amount={clientTotal} currency={billCurrency} className="font-semibold" />
            </p>
          ) : null}
        </>
      ) : (
        <div data-testid="preview" aria-live="polite">
          {preview.partial ? (
            <p className="mb-2 rounded-lg bg-amber-50 px-2 py-1 text-xs text-amber-900" data-testid="preview-partial">
              {t("bill.previewPartial")}
            </p>
          ) : null}
          <ul className="divide-y divide-slate-100">
            {preview.shares.map((s) => {
              const b = s.breakdown;
              return (
                <li key={s.member_id} className="py-2" data-member-id={s.member_id}>
                  <div className="flex items-baseline justify-between gap-2">
                    <span className="min-w-0 truncate text-slate-900">{name(s.member_id)}</span>
                    <Money amount={s.amount} currency={group.currency} className="font-semibold text-slate-900" />
                  </div>
                  {b ? (
                    <p className="text-xs text-slate-600 tabular">
                      {t("billDetail.items")} <Money amount={b.items} currency={billCurrency} />
                      {b.discount !== "0" && !/^0\.?0*$/.test(b.discount) ? (
                        <>
                          {" "}
                          − {t("billDetail.discount").toLowerCase()} <Money amount={b.discount} currency={billCurrency} />
                        </>
                      ) : null}
                      {!/^0\.?0*$/.test(b.service) ? (
                        <>
                          {" "}
                          + {t("billDetail.service").toLowerCase()} <Money amount={b.service} currency={billCurrency} />
                        </>
                      ) : null}
                      {!/^0\.?0*$/.test(b.tax) ? (
                        <>
                          {" "}
                          + {t("billDetail.tax").toLowerCase()} <Money amount={b.tax} currency={billCurrency} />
                        </>
                      ) : null}
                      {!/^0\.?0*$/.test(b.tip) ? (
                        <>
                          {" "}
                          + {t("billDetail.tip").toLowerCase()} <Money amount={b.tip} currency={billCurrency} />
                        </>
                      ) : null}
                    </p>
                  ) : foreign ? (
                    <p className="text-xs text-slate-600">
                      <Money amount={s.original_amount} currency={billCurrency} />
                    </p>
                  ) : null}
                </li>
              );
            })}
          </ul>
          <div className="mt-2 flex items-baseline justify-between border-t border-slate-200 pt-2">
            <span className="font-semibold">{t("common.total")}</span>
            <span className="text-right">
              <Money amount={preview.total} currency={group.currency} className="text-lg font-bold" />
              {foreign ? (
                <span className="block text-xs text-slate-600">
                  <Money amount={preview.original_total} currency={billCurrency} />
                </span>
              ) : null}
            </span>
          </div>
        </div>
      )}
    </Card>
  );
}
