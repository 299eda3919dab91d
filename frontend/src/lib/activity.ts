import type { MessageKey, Translate } from "./i18n";
import type { Locale } from "./i18n";
import { formatMoney, isKnownCurrency } from "./money";

export interface ActivityLike {
  verb: string;
  summary: string;
  actor_name: string | null;
  target_type: string;
  target_id: number | null;
  changes: Record<string, unknown>;
}

const KNOWN = new Set([
  "bill.created",
  "bill.updated",
  "bill.deleted",
  "bill.restored",
  "payment.recorded",
  "payment.confirmed",
  "payment.rejected",
  "payment.deleted",
  "group.created",
  "group.updated",
  "member.added",
  "member.renamed",
  "member.removed",
  "member.left",
  "member.joined",
  "member.claimed",
  "invite.created",
  "invite.revoked",
  "recurring.created",
  "recurring.updated",
  "recurring.stopped",
  "recurring.resumed",
  "recurring.deleted",
  "recurring.bill_created",
]);

/** A field's value in an activity diff ({"field": {"from", "to"}}): the new one, else the old. */
function changed(changes: Record<string, unknown>, key: string): unknown {
  const c = changes[key];
  if (c && typeof c === "object" && ("to" in c || "from" in c)) {
    const { to, from } = c as { to?: unknown; from?: unknown };
    return to ?? from;
  }
  return undefined;
}

/**
 * One activity line in the reader's language, from the verb and its structured changes. Falls
 * back to the API's own (English) summary for anything it doesn't know.
 */
export function describeActivity(
  a: ActivityLike,
  ctx: { t: Translate; locale: Locale; currency: string; memberName: (id: number | null | undefined) => string },
): string {
  if (!KNOWN.has(a.verb)) return a.summary;
  const { t, locale, currency, memberName } = ctx;
  const actor = a.actor_name ?? t("activity.someone");
  const money = (v: unknown) => (typeof v === "string" && isKnownCurrency(currency) && /^-?[0-9]+(\.[0-9]+)?$/.test(v) ? formatMoney(v, currency, locale) : "");
  const title = changed(a.changes, "title");
  const vars: Record<string, string> = {
    actor,
    title: typeof title === "string" ? title : t("activity.aBill"),
    amount: money(changed(a.changes, "total") ?? changed(a.changes, "amount")),
    from: memberName(changed(a.changes, "from_member_id") as number | undefined),
    to: memberName(changed(a.changes, "to_member_id") as number | undefined),
    name: a.target_type === "member" && a.target_id != null ? memberName(a.target_id) : "",
  };
  if ((a.verb === "bill.created" && !vars.amount) || (a.verb === "payment.recorded" && !vars.amount)) return a.summary;
  return t(`activity.${a.verb}` as MessageKey, vars);
}
