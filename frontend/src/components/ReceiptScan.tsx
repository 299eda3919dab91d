"use client";

/**
 * "Scan receipt" for the itemized bill editor: a photo (the camera on phones) goes to
 * POST /api/groups/{gid}/receipts/scan, and what was read fills the items and charges, every value
 * still editable. The lines as read, and how each was taken, are listed beside the editor so the
 * person can check them against the paper.
 */

import { useRef, useState, type Dispatch, type SetStateAction } from "react";

import { Alert, Button, Card, SectionTitle, cx } from "@/components/ui";
import { getCsrfToken } from "@/lib/api/client";
import { apiErrorFrom, isApiError } from "@/lib/api/errors";
import type { components } from "@/lib/api/schema";
import { emptyItem, newItemKey, type BillDraft } from "@/lib/bill";
import { useI18n } from "@/lib/i18n-react";
import type { Locale } from "@/lib/i18n";
import { formatAmountInput, formatDecimalInput, formatMoney } from "@/lib/money";

export type ReceiptScanResult = components["schemas"]["ReceiptScanOut"];

/** The draft with the scan's items and charges in place of the (empty or not) items typed so far. */
export function applyScan(draft: BillDraft, scan: ReceiptScanResult, locale: Locale): BillDraft {
  const cur = draft.currency;
  const money = (v: string) => (/^[0.]*$/.test(v) ? "" : formatAmountInput(v, cur, locale));
  const percent = (v: string) => (/^[0.]*$/.test(v) ? "" : formatDecimalInput(v, locale));
  const everyone = draft.items.find((it) => it.memberIds.length > 0)?.memberIds ?? [];
  const items = scan.items.map((item) => ({
    key: newItemKey(),
    name: item.name,
    quantity: String(item.quantity),
    unitPrice: formatAmountInput(item.unit_price, cur, locale),
    memberIds: [...everyone],
  }));
  return {
    ...draft,
    items: items.length > 0 ? items : draft.items.length > 0 ? draft.items : [emptyItem()],
    charges: {
      discount: money(scan.charges.discount),
      discount_percent: percent(scan.charges.discount_percent),
      service_percent: percent(scan.charges.service_percent),
      tax_percent: percent(scan.charges.tax_percent),
      tip: money(scan.charges.tip),
    },
  };
}

async function scanReceipt(groupId: number, currency: string, file: File): Promise<ReceiptScanResult> {
  const form = new FormData();
  form.append("image", file);
  const res = await globalThis.fetch(`/api/groups/${groupId}/receipts/scan?currency=${encodeURIComponent(currency)}`, {
    method: "POST",
    body: form,
    credentials: "same-origin",
    headers: { "X-CSRFToken": await getCsrfToken() },
  });
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) throw apiErrorFrom(res.status, body, res.headers.get("Retry-After"));
  return body as ReceiptScanResult;
}

const KIND_STYLE: Record<ReceiptScanResult["lines"][number]["kind"], string> = {
  item: "bg-brand-50 text-brand-900",
  charge: "bg-amber-50 text-amber-900",
  subtotal: "bg-slate-100 text-slate-900",
  total: "bg-emerald-50 text-emerald-900",
  ignored: "text-slate-500",
};

export function ReceiptScan({
  groupId,
  draft,
  setDraft,
}: {
  groupId: number;
  draft: BillDraft;
  setDraft: Dispatch<SetStateAction<BillDraft>>;
}) {
  const { t, locale } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<ReceiptScanResult | null>(null);

  async function onFile(file: File | undefined) {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const scan = await scanReceipt(groupId, draft.currency, file);
      setResult(scan);
      setDraft((d) => applyScan(d, scan, locale));
    } catch (e) {
      setError(t("receipt.failed", { message: isApiError(e) ? e.message : String(e) }));
    } finally {
      setBusy(false);
      if (input.current) input.current.value = "";
    }
  }

  const mismatch = result?.warnings.find((w) => w.code === "total_mismatch");
  return (
    <Card aria-labelledby="receipt-scan-title" className="mb-4">
      <SectionTitle id="receipt-scan-title">{t("receipt.scan")}</SectionTitle>
      <p className="mb-3 text-sm text-slate-700">{t("receipt.scanHint")}</p>
      <input
        ref={input}
        id="receipt-scan-file"
        type="file"
        accept="image/*"
        capture="environment"
        className="sr-only"
        aria-label={t("receipt.scan")}
        onChange={(e) => void onFile(e.target.files?.[0])}
      />
      <Button variant="secondary" busy={busy} onClick={() => input.current?.click()}>
        {busy ? t("receipt.scanning") : t("receipt.scan")}
      </Button>
      {error ? (
        <Alert className="mt-3" tone="error">
          {error}
        </Alert>
      ) : null}
      {result ? (
        <div className="mt-3 space-y-2" data-testid="receipt-scan-result">
          <p role="status" className="text-sm text-slate-800">
            {result.items.length > 0 ? t("receipt.scanned", { n: String(result.items.length) }) : t("receipt.noItems")}
          </p>
          {mismatch && mismatch.read && mismatch.computed ? (
            <Alert tone="warning">
              {t("receipt.mismatch", {
                read: formatMoney(mismatch.read, result.currency, locale),
                computed: formatMoney(mismatch.computed, result.currency, locale),
              })}
            </Alert>
          ) : null}
          <details open>
            <summary className="cursor-pointer text-sm font-semibold text-slate-900">{t("receipt.linesTitle")}</summary>
            <ol className="mt-2 space-y-0.5 font-mono text-xs" aria-label={t("receipt.linesTitle")}>
              {result.lines.map((line, i) => (
                <li key={i} className={cx("flex justify-between gap-3 rounded px-1.5 py-0.5", KIND_STYLE[line.kind])}>
                  <span className="whitespace-pre-wrap break-all">{line.text}</span>
                  <span className="shrink-0 font-sans">{t(`receipt.kind.${line.kind}`)}</span>
                </li>
              ))}
            </ol>
          </details>
        </div>
      ) : null}
    </Card>
  );
}
