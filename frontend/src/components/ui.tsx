"use client";

import Link from "next/link";
import {
  forwardRef,
  useId,
  useState,
  type ButtonHTMLAttributes,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from "react";

import { apiErrorText } from "@/lib/api/error-text";
import type { Translate } from "@/lib/i18n";
import { useI18n } from "@/lib/i18n-react";

export function cx(...classes: (string | false | null | undefined)[]): string {
  return classes.filter(Boolean).join(" ");
}

type Variant = "primary" | "secondary" | "danger" | "ghost";

const variants: Record<Variant, string> = {
  primary: "bg-brand-700 text-white hover:bg-brand-800 disabled:bg-slate-400",
  secondary: "bg-white text-slate-900 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 disabled:text-slate-500",
  danger: "bg-red-700 text-white hover:bg-red-800 disabled:bg-slate-400",
  ghost: "text-brand-800 hover:bg-brand-50 disabled:text-slate-500",
};

const buttonBase =
  "inline-flex min-h-11 items-center justify-center gap-2 rounded-lg px-4 py-2 text-center text-sm font-semibold transition-colors disabled:cursor-not-allowed";

export const Button = forwardRef<
  HTMLButtonElement,
  ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant; busy?: boolean; small?: boolean }
>(function Button({ variant = "primary", busy, small, className, children, disabled, type, ...rest }, ref) {
  return (
    <button
      ref={ref}
      type={type ?? "button"}
      className={cx(buttonBase, variants[variant], small && "min-h-9 px-3 py-1", className)}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      {...rest}
    >
      {busy ? <Spinner small /> : null}
      {children}
    </button>
  );
});

/**
 * A destructive action asked about in the page itself, not with the browser's confirm(): the first
 * press puts the question next to a confirm and a cancel button (focus on the confirm).
 */
export function ConfirmButton({
  question,
  confirmLabel,
  onConfirm,
  busy,
  variant = "secondary",
  small,
  children,
  "aria-label": ariaLabel,
}: {
  question: string;
  confirmLabel: string;
  onConfirm: () => void;
  busy?: boolean;
  variant?: Variant;
  small?: boolean;
  children: ReactNode;
  "aria-label"?: string;
}) {
  const { t } = useI18n();
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <Button variant={variant} small={small} busy={busy} aria-label={ariaLabel} onClick={() => setAsking(true)}>
        {children}
      </Button>
    );
  }
  return (
    <span role="group" aria-label={question} className="inline-flex flex-wrap items-center gap-2 rounded-lg bg-red-50 px-2 py-1 ring-1 ring-red-200">
      <span className="text-sm text-red-900">{question}</span>
      <Button
        variant="danger"
        small
        busy={busy}
        autoFocus
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </Button>
      <Button variant="secondary" small onClick={() => setAsking(false)}>
        {t("common.cancel")}
      </Button>
    </span>
  );
}

export function LinkButton({
  href,
  variant = "primary",
  className,
  children,
  small,
}: {
  href: string;
  variant?: Variant;
  className?: string;
  children: ReactNode;
  small?: boolean;
}) {
  return (
    <Link href={href} className={cx(buttonBase, variants[variant], small && "min-h-9 px-3 py-1", className)}>
      {children}
    </Link>
  );
}

export function Spinner({ small, label }: { small?: boolean; label?: string }) {
  return (
    <span
      className={cx(
        "inline-block animate-spin rounded-full border-2 border-current border-r-transparent align-[-0.125em]",
        small ? "h-4 w-4" : "h-6 w-6",
      )}
      role={label ? "status" : undefined}
      aria-label={label}
      aria-hidden={label ? undefined : true}
    />
  );
}

export function Loading({ label }: { label?: string }) {
  const { t } = useI18n();
  return (
    <div className="flex items-center gap-3 py-8 text-slate-600" role="status" aria-live="polite">
      <Spinner />
      <span>{label ?? t("common.loading")}</span>
    </div>
  );
}

export function Card({ children, className, as: As = "section", ...rest }: {
  children: ReactNode;
  className?: string;
  as?: "section" | "div" | "article" | "li";
  "aria-labelledby"?: string;
}) {
  return (
    <As className={cx("rounded-xl bg-white p-4 shadow-sm ring-1 ring-slate-200 sm:p-5", className)} {...rest}>
      {children}
    </As>
  );
}

export function Alert({
  tone = "error",
  title,
  children,
  className,
}: {
  tone?: "error" | "info" | "success" | "warning";
  title?: string;
  children?: ReactNode;
  className?: string;
}) {
  const tones = {
    error: "bg-red-50 text-red-900 ring-red-200",
    info: "bg-sky-50 text-sky-900 ring-sky-200",
    success: "bg-emerald-50 text-emerald-900 ring-emerald-200",
    warning: "bg-amber-50 text-amber-900 ring-amber-300",
  } as const;
  return (
    <div role={tone === "error" ? "alert" : "status"} className={cx("rounded-lg p-3 text-sm ring-1", tones[tone], className)}>
      {title ? <p className="font-semibold">{title}</p> : null}
      {children ? <div className={title ? "mt-1" : undefined}>{children}</div> : null}
    </div>
  );
}

/** A human message for any error a query or mutation can throw (by the API's error code). */
export function errorMessage(t: Translate, error: unknown): string {
  return apiErrorText(t, error);
}

export function ErrorView({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  return (
    <Alert title={t("common.errorTitle")} className="my-4">
      <p>{errorMessage(t, error)}</p>
      {onRetry ? (
        <Button variant="secondary" small className="mt-2" onClick={onRetry}>
          {t("common.retry")}
        </Button>
      ) : null}
    </Alert>
  );
}

export function EmptyState({ children, action }: { children: ReactNode; action?: ReactNode }) {
  return (
    <div className="rounded-xl border border-dashed border-slate-300 bg-white p-6 text-center text-slate-600">
      <p>{children}</p>
      {action ? <div className="mt-4 flex justify-center">{action}</div> : null}
    </div>
  );
}

// --- form fields ---------------------------------------------------------------------------------

export function FieldErrors({ id, errors }: { id: string; errors?: readonly string[] }) {
  if (!errors || errors.length === 0) return null;
  return (
    <ul id={id} className="mt-1 space-y-0.5 text-sm text-red-700">
      {errors.map((e, i) => (
        <li key={i}>{e}</li>
      ))}
    </ul>
  );
}

const inputClass =
  "block w-full min-h-11 rounded-lg border-0 bg-white px-3 py-2 text-base text-slate-900 ring-1 ring-inset ring-slate-400 placeholder:text-slate-500 focus:ring-2 focus:ring-brand-600 aria-[invalid=true]:ring-2 aria-[invalid=true]:ring-red-600 disabled:bg-slate-100";

interface FieldProps {
  label: ReactNode;
  hint?: ReactNode;
  errors?: readonly string[];
  className?: string;
  /** Visually hide the label (it stays available to screen readers). */
  hideLabel?: boolean;
  prefix?: string;
}

/**
 * A field's errors until the person edits the field: a server error about a value they have since
 * changed is stale. Errors come back with the next answer (a new array, so they show again).
 */
function useUntilEdited(errors: readonly string[] | undefined): [readonly string[] | undefined, () => void] {
  const [dismissed, setDismissed] = useState<readonly string[] | undefined>(undefined);
  const visible = errors && errors !== dismissed ? errors : undefined;
  return [visible, () => setDismissed(errors)];
}

function describedBy(hintId: string | null, errorId: string | null): string | undefined {
  return [hintId, errorId].filter(Boolean).join(" ") || undefined;
}

export const TextField = forwardRef<HTMLInputElement, FieldProps & InputHTMLAttributes<HTMLInputElement>>(
  function TextField({ label, hint, errors: allErrors, className, hideLabel, prefix, id, onChange, ...rest }, ref) {
    const [errors, edited] = useUntilEdited(allErrors);
    const autoId = useId();
    const inputId = id ?? autoId;
    const hintId = hint ? `${inputId}-hint` : null;
    const errorId = errors?.length ? `${inputId}-err` : null;
    return (
      <div className={className}>
        <label htmlFor={inputId} className={cx("mb-1 block text-sm font-medium text-slate-800", hideLabel && "sr-only")}>
          {label}
        </label>
        <div className={prefix ? "relative" : undefined}>
          {prefix ? (
            <span className="pointer-events-none absolute inset-y-0 left-3 flex items-center text-sm text-slate-600" aria-hidden>
              {prefix}
            </span>
          ) : null}
          <input
            ref={ref}
            id={inputId}
            className={cx(inputClass, prefix && (prefix.length > 2 ? "pl-12" : "pl-9"))}
            aria-invalid={errorId ? true : undefined}
            aria-describedby={describedBy(hintId, errorId)}
            onChange={(e) => {
              edited();
              onChange?.(e);
            }}
            {...rest}
          />
        </div>
        {hint ? (
          <p id={hintId ?? undefined} className="mt-1 text-sm text-slate-600">
            {hint}
          </p>
        ) : null}
        <FieldErrors id={errorId ?? ""} errors={errors} />
      </div>
    );
  },
);

export function TextArea({ label, hint, errors: allErrors, className, id, onChange, ...rest }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const [errors, edited] = useUntilEdited(allErrors);
  const autoId = useId();
  const inputId = id ?? autoId;
  const errorId = errors?.length ? `${inputId}-err` : null;
  const hintId = hint ? `${inputId}-hint` : null;
  return (
    <div className={className}>
      <label htmlFor={inputId} className="mb-1 block text-sm font-medium text-slate-800">
        {label}
      </label>
      <textarea
        id={inputId}
        className={cx(inputClass, "min-h-20")}
        aria-invalid={errorId ? true : undefined}
        aria-describedby={describedBy(hintId, errorId)}
        onChange={(e) => {
          edited();
          onChange?.(e);
        }}
        {...rest}
      />
      {hint ? (
        <p id={hintId ?? undefined} className="mt-1 text-sm text-slate-600">
          {hint}
        </p>
      ) : null}
      <FieldErrors id={errorId ?? ""} errors={errors} />
    </div>
  );
}

export function SelectField({
  label,
  hint,
  errors: allErrors,
  className,
  hideLabel,
  id,
  children,
  onChange,
  ...rest
}: FieldProps & SelectHTMLAttributes<HTMLSelectElement>) {
  const [errors, edited] = useUntilEdited(allErrors);
  const autoId = useId();
  const inputId = id ?? autoId;
  const errorId = errors?.length ? `${inputId}-err` : null;
  const hintId = hint ? `${inputId}-hint` : null;
  return (
    <div className={className}>
      <label htmlFor={inputId} className={cx("mb-1 block text-sm font-medium text-slate-800", hideLabel && "sr-only")}>
        {label}
      </label>
      <select
        id={inputId}
        className={cx(inputClass, "pr-8")}
        aria-invalid={errorId ? true : undefined}
        aria-describedby={describedBy(hintId, errorId)}
        onChange={(e) => {
          edited();
          onChange?.(e);
        }}
        {...rest}
      >
        {children}
      </select>
      {hint ? (
        <p id={hintId ?? undefined} className="mt-1 text-sm text-slate-600">
          {hint}
        </p>
      ) : null}
      <FieldErrors id={errorId ?? ""} errors={errors} />
    </div>
  );
}

export function Checkbox({
  label,
  className,
  id,
  ...rest
}: { label: ReactNode; className?: string } & InputHTMLAttributes<HTMLInputElement>) {
  const autoId = useId();
  const inputId = id ?? autoId;
  return (
    <div className={cx("flex items-start gap-3", className)}>
      <input
        id={inputId}
        type="checkbox"
        className="mt-0.5 h-5 w-5 shrink-0 rounded border-slate-400 accent-brand-700"
        {...rest}
      />
      <label htmlFor={inputId} className="text-sm text-slate-800">
        {label}
      </label>
    </div>
  );
}

/** A toggle chip (a checkbox styled as a pill): "who shared this item". */
export function Chip({
  checked,
  onChange,
  children,
  name,
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  children: ReactNode;
  name?: string;
}) {
  return (
    <label
      className={cx(
        "inline-flex min-h-9 cursor-pointer select-none items-center gap-1.5 rounded-full px-3 py-1 text-sm ring-1 ring-inset has-[:focus-visible]:outline has-[:focus-visible]:outline-3 has-[:focus-visible]:outline-brand-600",
        checked ? "bg-brand-700 text-white ring-brand-700" : "bg-white text-slate-800 ring-slate-400",
      )}
    >
      <input type="checkbox" className="sr-only" checked={checked} name={name} onChange={(e) => onChange(e.target.checked)} />
      <span aria-hidden>{checked ? "✓" : "+"}</span>
      {children}
    </label>
  );
}

export function PageTitle({ children, sub, action }: { children: ReactNode; sub?: ReactNode; action?: ReactNode }) {
  return (
    <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
      <div className="min-w-0">
        <h1 className="text-2xl font-bold tracking-tight text-slate-900">{children}</h1>
        {sub ? <div className="mt-1 text-sm text-slate-600">{sub}</div> : null}
      </div>
      {action}
    </div>
  );
}

export function SectionTitle({ children, id, action }: { children: ReactNode; id?: string; action?: ReactNode }) {
  return (
    <div className="mb-3 flex items-center justify-between gap-2">
      <h2 id={id} className="text-lg font-semibold text-slate-900">
        {children}
      </h2>
      {action}
    </div>
  );
}
