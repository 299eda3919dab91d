"use client";

import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useRef, useState, type FormEvent } from "react";

import { safeNext } from "@/components/auth";
import { AuthCard, EmailField } from "@/components/auth-card";
import { ErrorSummary, focusFirstInvalid, useApiErrors } from "@/components/form";
import { Button, TextField } from "@/components/ui";
import { useI18n } from "@/lib/i18n-react";
import { useLogin, useMe } from "@/lib/queries";

const FIELDS = new Set(["email", "password"]);

export function LoginForm() {
  const { t } = useI18n();
  const router = useRouter();
  const params = useSearchParams();
  const next = safeNext(params.get("next"));
  const login = useLogin();
  const me = useMe();
  const alreadyIn = Boolean(me.data) && login.isIdle;
  useEffect(() => {
    if (alreadyIn) router.replace(next); // already logged in: nothing to do here
  }, [alreadyIn, next, router]);
  const errors = useApiErrors((p) => FIELDS.has(p));
  const form = useRef<HTMLFormElement>(null);
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");

  function submit(e: FormEvent) {
    e.preventDefault();
    errors.clear();
    login.mutate(
      { email, password },
      {
        onSuccess: () => router.replace(next),
        onError: (err) => {
          errors.fail(err);
          focusFirstInvalid(form);
        },
      },
    );
  }

  return (
    <AuthCard title={t("auth.login.title")}>
      <form ref={form} onSubmit={submit} noValidate className="space-y-4">
        <ErrorSummary messages={errors.summary} />
        <EmailField label={t("auth.email")} value={email} onValueChange={setEmail} errors={errors.at("email")} />
        <TextField
          label={t("auth.password")}
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          errors={errors.at("password")}
        />
        <Button type="submit" busy={login.isPending} className="w-full">
          {t("auth.login.submit")}
        </Button>
      </form>
      <div className="mt-6 space-y-2 text-sm text-slate-700">
        <p>
          <Link className="font-medium text-brand-800 underline" href="/forgot-password">
            {t("auth.login.forgot")}
          </Link>
        </p>
        <p>
          {t("auth.login.noAccount")}{" "}
          <Link className="font-medium text-brand-800 underline" href={next !== "/" ? `/signup?next=${encodeURIComponent(next)}` : "/signup"}>
            {t("nav.signup")}
          </Link>
        </p>
      </div>
    </AuthCard>
  );
}
