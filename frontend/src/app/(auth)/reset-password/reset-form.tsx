"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";

import { AuthCard } from "@/components/auth-card";
import { ErrorSummary, focusFirstInvalid, useApiErrors } from "@/components/form";
import { Alert, Button, LinkButton, TextField } from "@/components/ui";
import { useI18n } from "@/lib/i18n-react";
import { useConfirmPasswordReset } from "@/lib/queries";

export function ResetPasswordForm() {
  const { t } = useI18n();
  const token = useSearchParams().get("token") ?? "";
  const [password, setPassword] = useState("");
  const errors = useApiErrors((p) => p === "password");
  const form = useRef<HTMLFormElement>(null);
  const confirm = useConfirmPasswordReset();

  function submit(e: FormEvent) {
    e.preventDefault();
    errors.clear();
    confirm.mutate(
      { token, password },
      {
        onError: (err) => {
          errors.fail(err);
          focusFirstInvalid(form);
        },
      },
    );
  }

  const tokenProblem = errors.summary.length > 0 && confirm.error && "fields" in confirm.error && "token" in (confirm.error.fields as object);

  return (
    <AuthCard title={t("auth.resetConfirm.title")}>
      {!token ? (
        <Alert>
          <p>{t("auth.resetConfirm.noToken")}</p>
          <Link className="mt-2 inline-block font-medium underline" href="/forgot-password">
            {t("auth.resetConfirm.requestNew")}
          </Link>
        </Alert>
      ) : confirm.isSuccess ? (
        <div className="space-y-4">
          <Alert tone="success">{t("auth.resetConfirm.done")}</Alert>
          <LinkButton href="/login" className="w-full">
            {t("nav.login")}
          </LinkButton>
        </div>
      ) : (
        <form ref={form} onSubmit={submit} noValidate className="space-y-4">
          <ErrorSummary messages={errors.summary} />
          {tokenProblem ? (
            <Link className="block text-sm font-medium text-brand-800 underline" href="/forgot-password">
              {t("auth.resetConfirm.requestNew")}
            </Link>
          ) : null}
          <TextField
            label={t("auth.newPassword")}
            type="password"
            autoComplete="new-password"
            required
            hint={t("auth.signup.passwordHint")}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            errors={errors.at("password")}
          />
          <Button type="submit" busy={confirm.isPending} className="w-full">
            {t("auth.resetConfirm.submit")}
          </Button>
        </form>
      )}
    </AuthCard>
  );
}
