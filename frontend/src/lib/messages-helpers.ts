import type { Issue } from "./bill";
import type { Locale, Translate } from "./i18n";
import { exampleAmountText, exponentOf, type ParseErrorCode } from "./money";

/** The message for a money / number parse problem, with an example in the locale's notation. */
export function moneyIssueMessage(t: Translate, code: ParseErrorCode, currency: string, locale: Locale): string {
  const example = exampleAmountText(currency, locale);
  switch (code) {
    case "empty":
      return t("money.error.empty");
    case "negative":
      return t("money.error.negative");
    case "invalid":
      return t("money.error.invalid", { example });
    case "grouping":
      return t("money.error.grouping", { example: locale === "id" ? "125.000" : "125,000" });
    case "too_many_decimals": {
      const decimals = exponentOf(currency);
      return decimals === 0
        ? t("money.error.too_many_decimals_zero", { currency })
        : t("money.error.too_many_decimals", { currency, decimals });
    }
    case "too_large":
      return t("money.error.too_large");
    case "zero":
      return t("money.error.zero");
  }
}

/** Words for one client-side issue of the bill form. */
export function issueMessage(t: Translate, issue: Issue, locale: Locale): string {
  const decimalExample = locale === "id" ? "2,5" : "2.5";
  switch (issue.code) {
    case "required":
      return issue.kind === "text" ? t("form.required") : t("money.error.empty");
    case "quantity":
      return t("bill.error.quantity");
    case "no_members":
      return t("bill.error.noMembers");
    case "no_payer":
      return t("bill.error.noPayer");
    case "no_items":
      return t("bill.error.noItems");
    case "payers_mismatch":
      return t("bill.error.payersMismatch");
    default:
      if (issue.kind === "amount") return moneyIssueMessage(t, issue.code, issue.currency ?? "IDR", locale);
      if (issue.code === "too_large" && issue.kind === "percent") return t("bill.error.percentMax");
      if (issue.code === "too_many_decimals" && issue.kind === "percent") return t("bill.error.percentDecimals");
      if (issue.code === "zero") return t("money.error.zero");
      if (issue.code === "negative") return t("money.error.negative");
      return t("number.error.invalid", { example: decimalExample });
  }
}
