"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";

import { ErrorSummary, useApiErrors } from "@/components/form";
import { useToast } from "@/components/toast";
import { Button, Card, Checkbox, ConfirmButton, SectionTitle, SelectField, TextField, errorMessage } from "@/components/ui";
import { downloadFile } from "@/lib/api/client";
import { useI18n } from "@/lib/i18n-react";
import { COMMON_CURRENCIES } from "@/lib/money";
import { useDeleteGroup, useLeaveGroup, useUpdateGroup, type Group } from "@/lib/queries";

export function SettingsTab({ group }: { group: Group }) {
  const { t } = useI18n();
  const toast = useToast();
  const router = useRouter();
  const update = useUpdateGroup(group.id);
  const errors = useApiErrors((p) => ["name", "currency", "simplify_debts"].includes(p));
  const [name, setName] = useState(group.name);
  const [currency, setCurrency] = useState(group.currency);
  const [simplify, setSimplify] = useState(group.simplify_debts);
  const currencies = COMMON_CURRENCIES.includes(group.currency as (typeof COMMON_CURRENCIES)[number])
    ? COMMON_CURRENCIES
    : [group.currency, ...COMMON_CURRENCIES];

  function submit(e: FormEvent) {
    e.preventDefault();
    errors.clear();
    const body: { name?: string; currency?: string; simplify_debts?: boolean } = {};
    if (name !== group.name) body.name = name;
    if (currency !== group.currency) body.currency = currency;
    if (simplify !== group.simplify_debts) body.simplify_debts = simplify;
    update.mutate(body, { onSuccess: () => toast(t("settings.saved")), onError: (err) => errors.fail(err) });
  }

  const leave = useLeaveGroup(group.id, { onSuccess: () => router.push("/") });
  const remove = useDeleteGroup(group.id, { onSuccess: () => router.push("/") });
  const [downloading, setDownloading] = useState<"json" | "csv" | null>(null);
  async function exportAs(format: "json" | "csv") {
    setDownloading(format);
    try {
      await downloadFile(`/api/groups/${group.id}/export?format=${format}`, `paytungan-group-${group.id}.${format}`);
    } catch (e) {
      toast(errorMessage(t, e), "error");
    } finally {
      setDownloading(null);
    }
  }

  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <Card aria-labelledby="settings-title">
        <SectionTitle id="settings-title">{t("settings.title")}</SectionTitle>
        <form onSubmit={submit} noValidate className="space-y-4">
          <ErrorSummary messages={errors.summary} />
          <TextField label={t("group.name")} value={name} onChange={(e) => setName(e.target.value)} errors={errors.at("name")} />
          <SelectField
            label={t("group.currency")}
            hint={t("settings.currencyLocked")}
            value={currency}
            onChange={(e) => setCurrency(e.target.value)}
            errors={errors.at("currency")}
          >
            {currencies.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </SelectField>
          <Checkbox label={t("group.simplify")} checked={simplify} onChange={(e) => setSimplify(e.target.checked)} />
          <Button type="submit" busy={update.isPending}>
            {t("common.save")}
          </Button>
        </form>
      </Card>
      <div className="grid content-start gap-4">
        <Card aria-labelledby="export-title">
          <SectionTitle id="export-title">{t("settings.export")}</SectionTitle>
          <div className="flex flex-wrap gap-2">
            <Button variant="secondary" busy={downloading === "json"} onClick={() => void exportAs("json")}>
              {t("settings.exportJson")}
            </Button>
            <Button variant="secondary" busy={downloading === "csv"} onClick={() => void exportAs("csv")}>
              {t("settings.exportCsv")}
            </Button>
          </div>
        </Card>
        <Card aria-labelledby="import-title">
          <SectionTitle id="import-title">{t("settings.import")}</SectionTitle>
          <Link href={`/groups/${group.id}/import`} className="text-brand-700 underline">
            {t("import.title")}
          </Link>
        </Card>
        <Card aria-labelledby="danger-title">
          <SectionTitle id="danger-title">{t("settings.leave")}</SectionTitle>
          <div className="flex flex-wrap gap-2">
            <ConfirmButton
              question={t("settings.leaveConfirm")}
              confirmLabel={t("settings.leave")}
              busy={leave.isPending}
              onConfirm={() => leave.mutate(undefined, { onError: (e) => toast(errorMessage(t, e), "error") })}
            >
              {t("settings.leave")}
            </ConfirmButton>
            {group.can_delete ? (
              <ConfirmButton
                variant="danger"
                question={t("settings.deleteConfirm")}
                confirmLabel={t("settings.delete")}
                busy={remove.isPending}
                onConfirm={() => remove.mutate(undefined, { onError: (e) => toast(errorMessage(t, e), "error") })}
              >
                {t("settings.delete")}
              </ConfirmButton>
            ) : null}
          </div>
        </Card>
      </div>
    </div>
  );
}
