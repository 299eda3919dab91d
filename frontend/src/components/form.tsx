"use client";

import { useCallback, useEffect, useRef, useState, type RefObject } from "react";

import { translatedFields } from "@/lib/api/error-text";
import { isApiError, partitionFieldErrors, type FieldErrors } from "@/lib/api/errors";
import { useI18n } from "@/lib/i18n-react";

import { Alert, errorMessage } from "./ui";

/** Move focus to the first invalid field of a form (after the errors have rendered). */
export function focusFirstInvalid(form: RefObject<HTMLElement | null>): void {
  requestAnimationFrame(() => {
    const el = form.current?.querySelector<HTMLElement>("[aria-invalid=true]");
    (el ?? form.current?.querySelector<HTMLElement>("[role=alert]"))?.focus?.();
  });
}

/**
 * Errors of a form that talks to the API: field messages (details.fields) shown next to the
 * field whose API path the form renders, the rest in a summary at the top.
 */
export function useApiErrors(known: (path: string) => boolean) {
  const { t } = useI18n();
  const [fields, setFields] = useState<FieldErrors>({});
  const [summary, setSummary] = useState<string[]>([]);

  const fail = useCallback(
    (error: unknown) => {
      if (isApiError(error) && Object.keys(error.fields).length > 0) {
        const { byField, unmatched } = partitionFieldErrors(translatedFields(t, error), known);
        setFields(byField);
        setSummary(unmatched.length ? unmatched : [t("error.formHasErrors")]);
      } else {
        setFields({});
        setSummary([errorMessage(t, error)]);
      }
    },
    [known, t],
  );
  const clear = useCallback(() => {
    setFields({});
    setSummary([]);
  }, []);
  const clearField = useCallback((path: string) => {
    setFields((f) => {
      if (!(path in f)) return f;
      const next = { ...f };
      delete next[path];
      return next;
    });
  }, []);
  return { fields, summary, fail, clear, clearField, at: (path: string) => fields[path] };
}

/**
 * The banner of a form's errors. It goes once the person edits anything in its form (what it
 * complained about may be fixed); the next answer from the API shows it again.
 */
export function ErrorSummary({ messages }: { messages: readonly string[] }) {
  const { t } = useI18n();
  const anchor = useRef<HTMLDivElement>(null);
  const [dismissed, setDismissed] = useState<readonly string[] | null>(null);
  useEffect(() => {
    const form = anchor.current?.closest("form");
    if (!form || messages.length === 0) return;
    const onEdit = () => setDismissed(messages);
    form.addEventListener("input", onEdit);
    form.addEventListener("change", onEdit);
    return () => {
      form.removeEventListener("input", onEdit);
      form.removeEventListener("change", onEdit);
    };
  }, [messages]);
  const visible = messages.length > 0 && messages !== dismissed;
  return (
    <div ref={anchor} className={visible ? undefined : "hidden"}>
      {visible ? (
        <Alert title={messages.length > 1 ? t("error.formHasErrors") : undefined} className="mb-4">
          {messages.length === 1 ? (
            <p tabIndex={-1}>{messages[0]}</p>
          ) : (
            <ul className="list-disc pl-5">
              {messages.map((m, i) => (
                <li key={i}>{m}</li>
              ))}
            </ul>
          )}
        </Alert>
      ) : null}
    </div>
  );
}

export const isThrottled = (e: unknown) => isApiError(e) && e.status === 429;
