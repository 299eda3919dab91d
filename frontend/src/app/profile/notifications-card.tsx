"use client";

import { useState, type FormEvent } from "react";

import { ErrorSummary, useApiErrors } from "@/components/form";
import { useToast } from "@/components/toast";
import { Button, Card, Checkbox, SectionTitle, TextField } from "@/components/ui";
import { useI18n } from "@/lib/i18n-react";
import { useNotificationPreferences, useUpdateNotificationPreferences, type Me, type NotificationPreferences } from "@/lib/queries";

const FIELDS = new Set(["pending_payments", "balance_reminders", "balance_days", "weekly_digest"]);

export function NotificationsCard({ me }: { me: Me }) {
  const { t } = useI18n();
  const prefs = useNotificationPreferences();
  return (
    <Card aria-labelledby="notifications-title">
      <SectionTitle id="notifications-title">{t("notifications.title")}</SectionTitle>
      <p className="mb-3 text-sm text-slate-600">{t("notifications.hint", { email: me.email })}</p>
      {prefs.data ? <NotificationsForm initial={prefs.data} /> : <p className="text-sm text-slate-500">{t("common.loading")}</p>}
    </Card>
  );
}

function NotificationsForm({ initial }: { initial: NotificationPreferences }) {
  const { t } = useI18n();
  const toast = useToast();
  const update = useUpdateNotificationPreferences();
  const errors = useApiErrors((p) => FIELDS.has(p));
  const [pending, setPending] = useState(initial.pending_payments);
  const [balance, setBalance] = useState(initial.balance_reminders);
  const [days, setDays] = useState(String(initial.balance_days));
  const [digest, setDigest] = useState(initial.weekly_digest);

  function submit(e: FormEvent) {
    e.preventDefault();
    errors.clear();
    const n = Number(days);
    update.mutate(
      {
        pending_payments: pending,
        balance_reminders: balance,
        // Sent as typed: the API answers 422 on the field when it is not 1-90.
        balance_days: Number.isInteger(n) && days.trim() !== "" ? n : (days as unknown as number),
        weekly_digest: digest,
      },
      {
        onSuccess: () => toast(t("notifications.saved")),
        onError: (err) => errors.fail(err),
      },
    );
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-3">
      <ErrorSummary messages={errors.summary} />
      <Checkbox label={t("notifications.pending")} checked={pending} onChange={(e) => setPending(e.target.checked)} />
      <Checkbox label={t("notifications.balance")} checked={balance} onChange={(e) => setBalance(e.target.checked)} />
      <TextField
        label={t("notifications.balanceDays")}
        inputMode="numeric"
        className="max-w-xs"
        disabled={!balance}
        value={days}
        onChange={(e) => setDays(e.target.value)}
        errors={errors.at("balance_days")}
      />
      <Checkbox label={t("notifications.digest")} checked={digest} onChange={(e) => setDigest(e.target.checked)} />
      <Button type="submit" variant="secondary" busy={update.isPending}>
        {t("common.save")}
      </Button>
    </form>
  );
}
