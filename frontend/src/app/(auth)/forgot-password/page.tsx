"use client";

import Link from "next/link";
import { useRef, useState, type FormEvent } from "react";

import { AuthCard, EmailField } from "@/components/auth-card";
import { ErrorSummary, focusFirstInvalid, useApiErrors } from "@/components/form";
import { Alert, Button } from "@/components/ui";
import { useI18n } from "@/lib/i18n-react";
import { useRequestPasswordReset } from "@/lib/queries";

export default function ForgotPasswordPage() {
  const { t } = useI18n();
  const [email, setEmail] = useState("");
  const errors = useApiErrors((p) => p === "email");
  const form = useRef<HTMLFormElement>(null);
  const request = useRequestPasswordReset();

  function submit(e: FormEvent) {
    e.preventDefault();
    errors.clear();
    request.mutate(
      { email },
      {
        onError: (err) => {
          errors.fail(err);
          focusFirstInvalid(form);
        },
      },
    );
  }

  return (
    <AuthCard title={t("auth.reset.title")}>
      {request.isSuccess ? (
        <Alert tone="success">{t("auth.reset.sent")}</Alert>
      ) : (
        <form ref={form} onSubmit={submit} noValidate className="space-y-4">
          <p className="text-sm text-slate-700">{t("auth.reset.intro")}</p>
          <ErrorSummary messages={errors.summary} />
          <EmailField label={t("auth.email")} value={email} onValueChange={setEmail} errors={errors.at("email")} />
          <Button type="submit" busy={request.isPending} className="w-full">
            {t("auth.reset.submit")}
          </Button>
        </form>
      )}
      <p className="mt-6 text-sm">
        <Link className="font-medium text-brand-800 underline" href="/login">
          {t("nav.login")}
        </Link>
      </p>
    </AuthCard>
  );
}
