"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";

import { AuthCard } from "@/components/auth-card";
import { Alert, Button, ErrorView, LinkButton, Loading, errorMessage } from "@/components/ui";
import { api, unwrap } from "@/lib/api/client";
import { isApiError } from "@/lib/api/errors";
import { useI18n } from "@/lib/i18n-react";
import { qk, useAcceptInvite, useMe } from "@/lib/queries";

export function JoinView({ code }: { code: string }) {
  const me = useMe();
  const next = `/join/${encodeURIComponent(code)}`;
  if (me.isPending) return <Loading />;
  if (isApiError(me.error) && me.error.status === 401) return <JoinLoggedOut code={code} next={next} />;
  if (me.error) return <ErrorView error={me.error} />;
  return <Join code={code} />;
}

/** A visitor without a session: the group and who invited them, then log in or sign up. */
function JoinLoggedOut({ code, next }: { code: string; next: string }) {
  const { t } = useI18n();
  const invite = useQuery({
    queryKey: [...qk.invite(code), "public"],
    queryFn: () => unwrap(api.GET("/api/invites/{code}/public", { params: { path: { code } } })),
    retry: false,
  });
  if (invite.isPending) return <Loading />;
  if (invite.error) {
    const gone = isApiError(invite.error) && invite.error.status === 404;
    return (
      <AuthCard title={t("join.title")}>
        <Alert>{gone ? t("join.invalid") : errorMessage(t, invite.error)}</Alert>
      </AuthCard>
    );
  }
  const p = invite.data;
  return (
    <AuthCard title={t("join.title")}>
      <p className="text-slate-700" data-testid="invite-by">
        {p.inviter_name ? t("join.invitedBy", { name: p.inviter_name }) : t("join.invited")}
      </p>
      <p className="text-xl font-semibold text-slate-900">{p.group_name}</p>
      <p className="mb-4 text-sm text-slate-600">{t("join.members", { count: p.member_count })}</p>
      <p className="mb-4 text-slate-700">{t("join.loginFirst")}</p>
      <div className="flex flex-wrap gap-2">
        <LinkButton href={`/login?next=${encodeURIComponent(next)}`}>{t("nav.login")}</LinkButton>
        <LinkButton href={`/signup?next=${encodeURIComponent(next)}`} variant="secondary">
          {t("nav.signup")}
        </LinkButton>
      </div>
    </AuthCard>
  );
}

function Join({ code }: { code: string }) {
  const { t } = useI18n();
  const router = useRouter();
  const preview = useQuery({
    queryKey: qk.invite(code),
    queryFn: () => unwrap(api.GET("/api/invites/{code}", { params: { path: { code } } })),
    retry: false,
  });
  const [claim, setClaim] = useState<string>("");
  const accept = useAcceptInvite(code, { onSuccess: (m) => router.push(`/groups/${m.group_id}`) });

  if (preview.isPending) return <Loading />;
  if (preview.error) {
    const gone = isApiError(preview.error) && (preview.error.status === 404 || preview.error.status === 410);
    return (
      <AuthCard title={t("join.title")}>
        <Alert>{gone ? t("join.invalid") : errorMessage(t, preview.error)}</Alert>
      </AuthCard>
    );
  }
  const p = preview.data;

  function submit(e: FormEvent) {
    e.preventDefault();
    accept.mutate(claim ? Number(claim) : null);
  }

  return (
    <AuthCard title={t("join.title")}>
      <p className="text-xl font-semibold text-slate-900">{p.group_name}</p>
      <p className="mb-4 text-sm text-slate-600">{t("join.info", { count: p.member_count, currency: p.currency })}</p>
      {p.already_member ? (
        <Alert tone="info">{t("join.already")}</Alert>
      ) : (
        <form onSubmit={submit} className="space-y-4">
          {p.claimable_guests.length > 0 ? (
            <fieldset>
              <legend className="font-medium text-slate-900">{t("join.claim")}</legend>
              <p className="mb-2 text-sm text-slate-600">{t("join.claimHint")}</p>
              <div className="space-y-2">
                {p.claimable_guests.map((g) => (
                  <label key={g.id} className="flex min-h-11 cursor-pointer items-center gap-3 rounded-lg px-3 ring-1 ring-slate-300 has-[:checked]:ring-2 has-[:checked]:ring-brand-700">
                    <input type="radio" name="claim" value={g.id} checked={claim === String(g.id)} onChange={() => setClaim(String(g.id))} className="h-4 w-4 accent-brand-700" />
                    {g.name}
                  </label>
                ))}
                <label className="flex min-h-11 cursor-pointer items-center gap-3 rounded-lg px-3 ring-1 ring-slate-300 has-[:checked]:ring-2 has-[:checked]:ring-brand-700">
                  <input type="radio" name="claim" value="" checked={claim === ""} onChange={() => setClaim("")} className="h-4 w-4 accent-brand-700" />
                  {t("join.asNew")}
                </label>
              </div>
            </fieldset>
          ) : null}
          {accept.error ? <Alert>{errorMessage(t, accept.error)}</Alert> : null}
          <Button type="submit" busy={accept.isPending} className="w-full">
            {t("join.submit")}
          </Button>
        </form>
      )}
      {p.already_member ? (
        <Button className="mt-4 w-full" onClick={() => accept.mutate(null)} busy={accept.isPending}>
          {t("join.open")}
        </Button>
      ) : null}
    </AuthCard>
  );
}
