"use client";

import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";

import { Money } from "@/components/money";
import { Alert, Button, Card, SectionTitle, SelectField, errorMessage } from "@/components/ui";
import { getCsrfToken } from "@/lib/api/client";
import { apiErrorFrom } from "@/lib/api/errors";
import type { components } from "@/lib/api/schema";
import { useI18n } from "@/lib/i18n-react";
import { qk, useGroup, useMembers } from "@/lib/queries";

type Preview = components["schemas"]["ImportPreviewOut"];
type Imported = components["schemas"]["ImportOut"];
type Format = Preview["format"];
const NEW_GUEST = "new";

async function upload<T>(gid: number, path: string, fields: Record<string, string | File>): Promise<T> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const res = await globalThis.fetch(`/api/groups/${gid}/${path}`, {
    method: "POST",
    body: form,
    credentials: "same-origin",
    headers: { "X-CSRFToken": await getCsrfToken() },
  });
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) throw apiErrorFrom(res.status, body, res.headers.get("Retry-After"));
  return body as T;
}

export function ImportView({ gid }: { gid: number }) {
  const { t } = useI18n();
  const router = useRouter();
  const qc = useQueryClient();
  const group = useGroup(gid);
  const members = useMembers(gid);
  const [format, setFormat] = useState<Format>("splitwise");
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Imported | null>(null);

  const active = (members.data?.items ?? []).filter((m) => m.is_active !== false);
  const names = new Map((preview?.members ?? []).map((m) => [m.key, m.name]));
  const currency = preview?.currency ?? group.data?.currency ?? "IDR";

  async function doPreview(e: FormEvent) {
    e.preventDefault();
    if (!file) return;
    setError(null);
    setBusy(true);
    try {
      const p = await upload<Preview>(gid, "imports/preview", { file, format });
      setPreview(p);
      setMapping(Object.fromEntries(p.members.map((m) => [m.key, m.suggested_member_id ? String(m.suggested_member_id) : NEW_GUEST])));
    } catch (err) {
      setPreview(null);
      setError(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  }

  async function doImport() {
    if (!file || !preview) return;
    setError(null);
    setBusy(true);
    const body: Record<string, number | null> = {};
    for (const m of preview.members) if (m.used) body[m.key] = mapping[m.key] === NEW_GUEST ? null : Number(mapping[m.key]);
    try {
      const result = await upload<Imported>(gid, "imports", { file, format, mapping: JSON.stringify(body) });
      setDone(result);
      await qc.invalidateQueries({ queryKey: ["group", gid] });
      await qc.invalidateQueries({ queryKey: qk.groups });
    } catch (err) {
      setError(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="mx-auto max-w-5xl space-y-4 p-4">
      <div className="flex items-center justify-between gap-2">
        <h1 className="text-2xl font-bold text-slate-900">{t("import.title")}</h1>
        <Link href={`/groups/${gid}`} className="text-brand-700 underline">
          {t("import.backToGroup")}
        </Link>
      </div>
      <Card aria-labelledby="import-file-title">
        <SectionTitle id="import-file-title">{t("import.fileTitle")}</SectionTitle>
        <p className="mb-3 text-sm text-slate-600">{t("import.hint")}</p>
        <form onSubmit={(e) => void doPreview(e)} className="space-y-3">
          <SelectField label={t("import.format")} value={format} onChange={(e) => setFormat(e.target.value as Format)}>
            <option value="splitwise">{t("import.formatSplitwise")}</option>
            <option value="ihatemoney">{t("import.formatIhatemoney")}</option>
            <option value="spliit">{t("import.formatSpliit")}</option>
          </SelectField>
          <div>
            <label htmlFor="import-file" className="mb-1 block text-sm font-medium text-slate-800">
              {t("import.file")}
            </label>
            <input
              id="import-file"
              type="file"
              accept=".csv,.json,text/csv,application/json"
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                setPreview(null);
                setDone(null);
              }}
            />
          </div>
          <Button type="submit" busy={busy && !preview} disabled={!file}>
            {t("import.preview")}
          </Button>
        </form>
      </Card>
      {error ? (
        <Alert tone="error" title={t("import.failed")}>
          {error}
        </Alert>
      ) : null}
      {done ? (
        <Alert tone="success" title={t("import.done")}>
          <span>{t("import.doneBody", { bills: done.bills, payments: done.payments })}</span>{" "}
          <Button variant="secondary" onClick={() => router.push(`/groups/${gid}`)}>
            {t("import.backToGroup")}
          </Button>
        </Alert>
      ) : null}
      {preview && !done ? (
        <>
          {preview.already_imported ? (
            <Alert tone="warning" title={t("import.alreadyTitle")}>
              {t("import.alreadyBody")}
            </Alert>
          ) : null}
          <Card aria-labelledby="import-people-title">
            <SectionTitle id="import-people-title">{t("import.people")}</SectionTitle>
            <table className="w-full text-left text-sm" data-testid="import-people">
              <thead>
                <tr>
                  <th className="py-1">{t("import.person")}</th>
                  <th className="py-1 pr-6 text-right">{t("import.balance")}</th>
                  <th className="py-1">{t("import.mapTo")}</th>
                </tr>
              </thead>
              <tbody>
                {preview.members
                  .filter((m) => m.used)
                  .map((m) => (
                    <tr key={m.key} className="border-t border-slate-100">
                      <td className="py-1">{m.name}</td>
                      <td className="py-1 pr-6 text-right">
                        <Money amount={m.balance} currency={currency} signed />
                      </td>
                      <td className="py-1">
                        <select
                          aria-label={t("import.mapFor", { name: m.name })}
                          className="rounded border border-slate-300 px-2 py-1"
                          value={mapping[m.key] ?? NEW_GUEST}
                          onChange={(e) => setMapping({ ...mapping, [m.key]: e.target.value })}
                        >
                          <option value={NEW_GUEST}>{t("import.newGuest", { name: m.name })}</option>
                          {active.map((x) => (
                            <option key={x.id} value={String(x.id)}>
                              {x.name}
                            </option>
                          ))}
                        </select>
                      </td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </Card>
          <Card aria-labelledby="import-rows-title">
            <SectionTitle id="import-rows-title">
              {t("import.rows", { bills: preview.bills.length, payments: preview.payments.length })}
            </SectionTitle>
            <div className="max-h-96 overflow-auto">
              <table className="w-full text-left text-sm" data-testid="import-rows">
                <thead>
                  <tr>
                    <th className="py-1">{t("import.row")}</th>
                    <th className="py-1">{t("import.date")}</th>
                    <th className="py-1">{t("import.what")}</th>
                    <th className="py-1 text-right">{t("import.amount")}</th>
                  </tr>
                </thead>
                <tbody>
                  {[
                    ...preview.bills.map((b) => ({ row: b.row, date: b.date, what: b.title, amount: b.total })),
                    ...preview.payments.map((p) => ({
                      row: p.row,
                      date: p.date,
                      what: t("import.paymentLine", { from: names.get(p.from_key) ?? p.from_key, to: names.get(p.to_key) ?? p.to_key }),
                      amount: p.amount,
                    })),
                  ]
                    .sort((a, b) => a.row - b.row)
                    .slice(0, 200)
                    .map((r) => (
                      <tr key={`${r.row}-${r.what}`} className="border-t border-slate-100">
                        <td className="py-1 text-slate-500">{r.row}</td>
                        <td className="py-1">{r.date}</td>
                        <td className="py-1">{r.what}</td>
                        <td className="py-1 text-right">
                          <Money amount={r.amount} currency={currency} />
                        </td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </div>
          </Card>
          <Button onClick={() => void doImport()} busy={busy} disabled={preview.already_imported}>
            {t("import.confirm")}
          </Button>
        </>
      ) : null}
    </div>
  );
}
