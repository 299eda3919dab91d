"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";

import { AuthCard } from "@/components/auth-card";
import { Alert, Button } from "@/components/ui";
import { useI18n } from "@/lib/i18n-react";
import type { MessageKey } from "@/lib/i18n";
import { useUnsubscribe, useUnsubscribeTarget } from "@/lib/queries";

/** The page an email's unsubscribe link opens. No login: the signed token is the credential.
 * Opening it changes nothing (mail scanners follow links); the button POSTs. */
export function UnsubscribeView() {
  const { t } = useI18n();
  const token = useSearchParams().get("token") ?? "";
  const target = useUnsubscribeTarget(token);
  const confirm = useUnsubscribe(token);
  const info = confirm.data ?? target.data;
  const vars = info ? { kind: t(`unsubscribe.kind.${info.kind}` as MessageKey), email: info.email } : undefined;

  return (
    <AuthCard title={t("unsubscribe.title")}>
      {!token ? (
        <Alert>{t("unsubscribe.noToken")}</Alert>
      ) : target.isError || confirm.isError ? (
        <Alert>{t("unsubscribe.invalid")}</Alert>
      ) : !info ? (
        <p className="text-sm text-slate-500">{t("common.loading")}</p>
      ) : confirm.isSuccess ? (
        <Alert tone="success">{t("unsubscribe.done", vars)}</Alert>
      ) : !info.subscribed ? (
        <Alert tone="info">{t("unsubscribe.already", vars)}</Alert>
      ) : (
        <div className="space-y-4">
          <p className="text-slate-800">{t("unsubscribe.confirm", vars)}</p>
          <Button className="w-full" busy={confirm.isPending} onClick={() => confirm.mutate()}>
            {t("unsubscribe.button")}
          </Button>
        </div>
      )}
      <Link className="mt-4 block text-sm font-medium text-brand-800 underline" href="/profile">
        {t("unsubscribe.manage")}
      </Link>
    </AuthCard>
  );
}
