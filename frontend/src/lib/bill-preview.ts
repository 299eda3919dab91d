/**
 * The per-person preview of a bill being typed, computed in the browser (lib/split.ts, the
 * server's rules) for whatever part of the draft is complete: rows with a problem (an item nobody
 * ticked, a price still being typed, a malformed charge or member value) are left out, and a
 * payer list that does not add up yet is replaced by "one payer paid it all" so the shares can
 * still be shown. Such a preview is marked `partial`: its rounding ties may still move by one
 * minor unit once the bill is complete, since the tie key hashes the whole bill.
 */

import type { Schemas } from "./api/client";
import { buildBillBody, type BillDraft, type BuildResult, type ChargeField } from "./bill";
import type { Locale } from "./i18n";
import { fromMinor } from "./money";
import { computeSplit, type SplitReason } from "./split";

export interface PreviewLine {
  member_id: number;
  /** In the group's currency. */
  amount: string;
  /** In the bill's currency. */
  original_amount: string;
  breakdown: { items: string; discount: string; service: string; tax: string; tip: string } | null;
}

export interface LocalPreview {
  total: string;
  original_total: string;
  shares: PreviewLine[];
  /** Rows with a problem were left out, or the payers were not complete yet. */
  partial: boolean;
}

export type PreviewOutcome =
  | { ok: true; preview: LocalPreview }
  | { ok: false; reason: SplitReason | "incomplete" | "exchange_rate" };

/** The draft with every incomplete row dropped, as far as `built` reports problems. */
function completePart(draft: BillDraft, built: BuildResult, fallbackPayer: number | null): { draft: BillDraft; partial: boolean } {
  const issues = Object.keys(built.issues);
  let partial = issues.length > 0;
  const badItems = new Set<string>();
  const badMembers = new Set<number>();
  const badCharges = new Set<ChargeField>();
  let badPayers = false;
  for (const path of issues) {
    let m = /^split\.items\.(\d+)\./.exec(path);
    if (m) {
      const key = built.rows.items[Number(m[1])];
      if (key) badItems.add(key);
      continue;
    }
    m = /^split\.members\.(\d+)\./.exec(path);
    if (m) {
      const id = built.rows.members[Number(m[1])];
      if (id !== undefined) badMembers.add(id);
      continue;
    }
    m = /^split\.charges\.(\w+)$/.exec(path);
    if (m) {
      badCharges.add(m[1] as ChargeField);
      continue;
    }
    if (path === "payers" || path.startsWith("payers.")) badPayers = true;
  }
  const charges = { ...draft.charges };
  for (const field of badCharges) charges[field] = "";
  const memberValues = Object.fromEntries(Object.entries(draft.memberValues).filter(([id]) => !badMembers.has(Number(id))));
  const payerId = draft.payerId ?? fallbackPayer;
  if (draft.payerId === null) partial = true;
  return {
    partial,
    draft: {
      ...draft,
      title: draft.title.trim() || "-",
      items: draft.items.filter((item) => !badItems.has(item.key)),
      charges,
      memberValues,
      multiPayer: draft.multiPayer && !badPayers,
      payerId: draft.multiPayer && badPayers ? (Object.keys(draft.payerAmounts).map(Number)[0] ?? payerId) : payerId,
    },
  };
}

export function previewFromDraft(
  draft: BillDraft,
  ctx: { locale: Locale; groupCurrency: string; fallbackPayer: number | null; built?: BuildResult },
): PreviewOutcome {
  const built = ctx.built ?? buildBillBody(draft, ctx);
  let body = built.body;
  let partial = false;
  if (!body) {
    if (built.issues.exchange_rate) return { ok: false, reason: "exchange_rate" };
    const part = completePart(draft, built, ctx.fallbackPayer);
    partial = part.partial;
    body = buildBillBody(part.draft, ctx).body;
    if (!body) return { ok: false, reason: "incomplete" };
  }
  const request: Schemas["BillIn"] = { ...body };
  delete (request as typeof body).version;
  const outcome = computeSplit(request, { groupCurrency: ctx.groupCurrency });
  if (!outcome.ok) return outcome;
  const { original, result } = outcome;
  const cur = original.currency;
  const shares = [...result.shares].map(([id, amount]): PreviewLine => {
    const b = original.breakdown?.get(id);
    return {
      member_id: id,
      amount: fromMinor(amount, result.currency),
      original_amount: fromMinor(original.shares.get(id) ?? 0n, cur),
      breakdown: b
        ? {
            items: fromMinor(b.items, cur),
            discount: fromMinor(b.discount, cur),
            service: fromMinor(b.service, cur),
            tax: fromMinor(b.tax, cur),
            tip: fromMinor(b.tip, cur),
          }
        : null,
    };
  });
  return {
    ok: true,
    preview: { total: fromMinor(result.total, result.currency), original_total: fromMinor(original.total, cur), shares, partial },
  };
}
