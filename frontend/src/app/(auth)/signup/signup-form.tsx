"use client";

import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useRef, useState, type FormEvent } from "react";

import { safeNext } from "@/components/auth";
import { AuthCard, EmailField } from "@/components/auth-card";
import { ErrorSummary, focusFirstInvalid, useApiErrors } from "@/components/form";
import { Button, TextField } from "@/components/ui";
import { useI18n } from "@/lib/i18n-react";
import { useMe, useRegister, useUpdateMe } from "@/lib/queries";

const FIELDS = new Set(["email", "password", "name"]);

export function SignupForm() {
  const { t, locale } = useI18n();
  const router = useRouter();
  const next = safeNext(useSearchParams().get("next"));
  const register = useRegister();
  const me = useMe();
  const alreadyIn = Boolean(me.data) && register.isIdle;
  useEffect(() => {
    if (alreadyIn) router.replace(next); // already logged in: nothing to do here
  }, [alreadyIn, next, router]);
  const updateMe = useUpdateMe();
  const errors = useApiErrors((p) => FIELDS.has(p));
  const form = useRef<HTMLFormElement>(null);
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");

  function submit(e: FormEvent) {
    e.preventDefault();
    errors.clear();
    register.mutate(
      { name, email, password },
      {
        onSuccess: (me) => {
          // Keep the language the person signed up in.
          if (me.locale !== locale) updateMe.mutate({ locale });
          router.replace(next);
        },
        onError: (err) => {
          errors.fail(err);
          focusFirstInvalid(form);
        },
      },
    );
  }

  return (
    <AuthCard title={t("auth.signup.title")}>
      <form ref={form} onSubmit={submit} noValidate className="space-y-4">
        <ErrorSummary messages={errors.summary} />
        <TextField
          label={t("auth.name")}
          name="name"
          autoComplete="name"
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
          errors={errors.at("name")}
        />
        <EmailField label={t("auth.email")} value={email} onValueChange={setEmail} errors={errors.at("email")} />
        <TextField
          label={t("auth.password")}
          type="password"
          name="password"
          autoComplete="new-password"
          required
          hint={t("auth.signup.passwordHint")}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          errors={errors.at("password")}
        />
        <Button type="submit" busy={register.isPending} className="w-full">
          {t("auth.signup.submit")}
        </Button>
      </form>
      <p className="mt-6 text-sm text-slate-700">
        {t("auth.signup.haveAccount")}{" "}
        <Link className="font-medium text-brand-800 underline" href={next !== "/" ? `/login?next=${encodeURIComponent(next)}` : "/login"}>
          {t("nav.login")}
        </Link>
      </p>
    </AuthCard>
  );
}
