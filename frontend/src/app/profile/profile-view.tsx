"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";

import { RequireAuth } from "@/components/auth";
import { ErrorSummary, useApiErrors } from "@/components/form";
import { useToast } from "@/components/toast";
import { Button, Card, Checkbox, PageTitle, SectionTitle, SelectField, TextField, errorMessage } from "@/components/ui";
import { downloadFile } from "@/lib/api/client";
import { LOCALES, isLocale, translate, type Locale } from "@/lib/i18n";
import { useI18n } from "@/lib/i18n-react";
import { COMMON_CURRENCIES } from "@/lib/money";
import { useChangePassword, useDeleteAccount, useLogout, useUpdateMe, type Me } from "@/lib/queries";

import { NotificationsCard } from "./notifications-card";

export function ProfileView() {
  return <RequireAuth>{(me) => <Profile me={me} />}</RequireAuth>;
}

const LANGUAGE_NAMES: Record<Locale, string> = { id: "Bahasa Indonesia", en: "English" };

function Profile({ me }: { me: Me }) {
  const { t } = useI18n();
  const router = useRouter();
  const logout = useLogout();
  return (
    <div>
      <PageTitle
        sub={me.email}
        action={
          <Button variant="secondary" busy={logout.isPending} onClick={() => logout.mutate(undefined, { onSettled: () => router.replace("/login") })}>
            {t("nav.logout")}
          </Button>
        }
      >
        {t("profile.title")}
      </PageTitle>
      <div className="grid gap-4 lg:grid-cols-2">
        <ProfileForm me={me} />
        <div className="grid content-start gap-4">
          <NotificationsCard me={me} />
          <PasswordCard />
          <DataCard me={me} />
        </div>
      </div>
    </div>
  );
}

const PROFILE_FIELDS = new Set([
  "name",
  "username",
  "email",
  "default_currency",
  "locale",
  "payout.method",
  "payout.account_name",
  "payout.account_number",
  "payout.share_with_groups",
]);

function ProfileForm({ me }: { me: Me }) {
  const { t, setLocale } = useI18n();
  const toast = useToast();
  const update = useUpdateMe();
  const errors = useApiErrors((p) => PROFILE_FIELDS.has(p));
  const [name, setName] = useState(me.name);
  const [username, setUsername] = useState(me.username ?? "");
  const [currency, setCurrency] = useState(me.default_currency);
  const [language, setLanguage] = useState<Locale>(isLocale(me.locale) ? me.locale : "id");
  const [method, setMethod] = useState(me.payout.method);
  const [accountName, setAccountName] = useState(me.payout.account_name);
  const [accountNumber, setAccountNumber] = useState(me.payout.account_number);
  const [share, setShare] = useState(me.payout.share_with_groups);

  function submit(e: FormEvent) {
    e.preventDefault();
    errors.clear();
    update.mutate(
      {
        name,
        username: username.trim() || null,
        default_currency: currency,
        locale: language,
        payout: {
          method: method as "" | "bank" | "ewallet" | "other",
          account_name: accountName,
          account_number: accountNumber,
          share_with_groups: share,
        },
      },
      {
        onSuccess: (saved) => {
          if (isLocale(saved.locale)) setLocale(saved.locale);
          toast(translate(isLocale(saved.locale) ? saved.locale : "id", "profile.saved"));
        },
        onError: (err) => errors.fail(err),
      },
    );
  }

  return (
    <Card aria-labelledby="profile-form-title">
      <SectionTitle id="profile-form-title">{t("profile.title")}</SectionTitle>
      <form onSubmit={submit} noValidate className="space-y-4">
        <ErrorSummary messages={errors.summary} />
        <TextField label={t("auth.name")} autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} errors={errors.at("name")} />
        <TextField
          label={t("profile.username")}
          hint={t("profile.usernameHint")}
          autoComplete="username"
          autoCapitalize="none"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          errors={errors.at("username")}
        />
        <div className="grid gap-3 sm:grid-cols-2">
          <SelectField label={t("profile.language")} value={language} onChange={(e) => setLanguage(e.target.value as Locale)} errors={errors.at("locale")}>
            {LOCALES.map((l) => (
              <option key={l} value={l} lang={l}>
                {LANGUAGE_NAMES[l]}
              </option>
            ))}
          </SelectField>
          <SelectField label={t("profile.defaultCurrency")} value={currency} onChange={(e) => setCurrency(e.target.value)} errors={errors.at("default_currency")}>
            {(COMMON_CURRENCIES as readonly string[]).includes(currency) ? null : <option value={currency}>{currency}</option>}
            {COMMON_CURRENCIES.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </SelectField>
        </div>
        <fieldset className="space-y-3 rounded-lg bg-slate-50 p-3 ring-1 ring-slate-200">
          <legend className="px-1 text-sm font-semibold text-slate-900">{t("profile.payout")}</legend>
          <SelectField label={t("profile.payoutMethod")} value={method} onChange={(e) => setMethod(e.target.value)} errors={errors.at("payout.method")}>
            <option value="">{t("profile.payoutMethod.none")}</option>
            <option value="bank">{t("profile.payoutMethod.bank")}</option>
            <option value="ewallet">{t("profile.payoutMethod.ewallet")}</option>
            <option value="other">{t("profile.payoutMethod.other")}</option>
          </SelectField>
          <TextField label={t("profile.accountName")} value={accountName} onChange={(e) => setAccountName(e.target.value)} errors={errors.at("payout.account_name")} />
          <TextField
            label={t("profile.accountNumber")}
            inputMode="numeric"
            value={accountNumber}
            onChange={(e) => setAccountNumber(e.target.value)}
            errors={errors.at("payout.account_number")}
          />
          <Checkbox label={t("profile.share")} checked={share} onChange={(e) => setShare(e.target.checked)} />
        </fieldset>
        <Button type="submit" busy={update.isPending}>
          {t("common.save")}
        </Button>
      </form>
    </Card>
  );
}

function PasswordCard() {
  const { t } = useI18n();
  const toast = useToast();
  const errors = useApiErrors((p) => p === "current_password" || p === "new_password");
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const change = useChangePassword();
  function submit(e: FormEvent) {
    e.preventDefault();
    errors.clear();
    change.mutate(
      { current_password: current, new_password: next },
      {
        onSuccess: () => {
          setCurrent("");
          setNext("");
          toast(t("profile.passwordChanged"));
        },
        onError: (err) => errors.fail(err),
      },
    );
  }
  return (
    <Card aria-labelledby="password-title">
      <SectionTitle id="password-title">{t("profile.password")}</SectionTitle>
      <form onSubmit={submit} noValidate className="space-y-3">
        <ErrorSummary messages={errors.summary} />
        <TextField
          label={t("auth.currentPassword")}
          type="password"
          autoComplete="current-password"
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          errors={errors.at("current_password")}
        />
        <TextField
          label={t("auth.newPassword")}
          type="password"
          autoComplete="new-password"
          hint={t("auth.signup.passwordHint")}
          value={next}
          onChange={(e) => setNext(e.target.value)}
          errors={errors.at("new_password")}
        />
        <Button type="submit" variant="secondary" busy={change.isPending} disabled={!current || !next}>
          {t("common.save")}
        </Button>
      </form>
    </Card>
  );
}

function DataCard({ me }: { me: Me }) {
  const { t } = useI18n();
  const toast = useToast();
  const router = useRouter();
  const [downloading, setDownloading] = useState(false);
  const [confirmText, setConfirmText] = useState("");
  const remove = useDeleteAccount({
    onSuccess: () => {
      toast(t("profile.deleted"), "info");
      router.replace("/");
    },
    onError: (e) => toast(errorMessage(t, e), "error"),
  });
  async function download() {
    setDownloading(true);
    try {
      await downloadFile("/api/me/export", `paytungan-me-${me.id}.json`);
    } catch (e) {
      toast(errorMessage(t, e), "error");
    } finally {
      setDownloading(false);
    }
  }
  return (
    <Card aria-labelledby="data-title">
      <SectionTitle id="data-title">{t("profile.data")}</SectionTitle>
      <Button variant="secondary" busy={downloading} onClick={() => void download()}>
        {t("profile.download")}
      </Button>
      <div className="mt-6 rounded-lg bg-red-50 p-3 ring-1 ring-red-200">
        <h3 className="font-semibold text-red-900">{t("profile.delete")}</h3>
        <p className="mt-1 text-sm text-red-900">{t("profile.deleteHint")}</p>
        <TextField
          className="mt-3"
          label={t("profile.deleteConfirm")}
          autoComplete="off"
          value={confirmText}
          onChange={(e) => setConfirmText(e.target.value)}
        />
        <Button
          variant="danger"
          className="mt-3"
          disabled={confirmText.trim().toUpperCase() !== t("profile.deleteWord")}
          busy={remove.isPending}
          onClick={() => remove.mutate()}
        >
          {t("profile.deleteButton")}
        </Button>
      </div>
    </Card>
  );
}
