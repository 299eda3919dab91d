import { messagesId } from "@/lib/messages/id";
import type { MessageKey, Translate } from "@/lib/i18n";

import { isApiError, type ApiError } from "./errors";

/**
 * The text a person reads for an API error, in the app's language, chosen by the error's code
 * (the code is the contract; the server's translated message is the fallback). Status only decides when
 * the code is unknown: a 401 is "your session ended" only when the API said not_authenticated,
 * never for a wrong password (invalid_credentials is a 401 too).
 */
export function codeKey(code: string): MessageKey | null {
  const key = `apiError.${code}`;
  return Object.hasOwn(messagesId, key) ? (key as MessageKey) : null;
}

export function apiErrorText(t: Translate, error: unknown): string {
  if (!isApiError(error)) return t("error.server");
  if (error.status === 0) return t("error.network");
  if (error.status === 429)
    return error.retryAfter != null ? t("error.throttled", { seconds: error.retryAfter }) : t("error.throttledShort");
  // A file that can't be imported names its row (details.row), where the parser knew it.
  if (error.code === "import_invalid" && typeof error.details.row === "number")
    return t("apiError.import_invalid_row", { row: error.details.row });
  const key = codeKey(error.code);
  if (key) return t(key);
  // A code this build doesn't know (a newer API): the server's own message, already in the
  // caller's language (the API translates its messages, decision 0018); a 5xx says nothing useful.
  if (error.status < 500 && error.code !== "http_error" && error.message.trim()) return error.message;
  if (error.status === 401) return t("error.sessionExpired");
  if (error.status === 403) return t("error.forbidden");
  if (error.status === 404) return t("error.notFound");
  if (error.status >= 500) return t("error.server");
  return error.message;
}

/**
 * An error's field messages with the coded one translated: the API raises a coded error about one
 * field (field_error in common/errors.py: email_taken, name_taken, ...) with that field's message
 * in details.fields, so that message is replaced by the code's text.
 */
export function translatedFields(t: Translate, error: ApiError): Record<string, string[]> {
  const fields = error.fields;
  const key = codeKey(error.code);
  const paths = Object.keys(fields);
  if (key && paths.length === 1 && error.code !== "invalid") return { [paths[0]!]: [t(key)] };
  return fields;
}
