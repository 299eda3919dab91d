"use client";

import { QRCodeSVG } from "qrcode.react";
import { useState, type FormEvent } from "react";

import { CopyButton } from "@/components/copy-button";
import { ShareButton } from "@/components/share-button";
import { ErrorSummary, useApiErrors } from "@/components/form";
import { Money } from "@/components/money";
import { useToast } from "@/components/toast";
import { Button, Card, ConfirmButton, ErrorView, Loading, SectionTitle, TextField, errorMessage } from "@/components/ui";
import { formatDate } from "@/lib/dates";
import { useI18n } from "@/lib/i18n-react";
import { useMemberDirectory } from "@/lib/members";
import { isZero } from "@/lib/money";
import { useAddMember, useCreateInvite, useInvites, useRemoveMember, useRevokeInvite, type Group, type Invite, type Member } from "@/lib/queries";

export function MembersTab({ group }: { group: Group }) {
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <MemberList group={group} />
      <div className="grid content-start gap-4">
        <InviteCard group={group} />
        <AddGuestCard group={group} />
        <AddUserCard group={group} />
      </div>
    </div>
  );
}

function MemberList({ group }: { group: Group }) {
  const { t } = useI18n();
  const toast = useToast();
  const dir = useMemberDirectory(group.id);
  const remove = useRemoveMember(group.id);

  function removeMember(m: Member) {
    remove.mutate(m.id, { onError: (e) => toast(errorMessage(t, e), "error") });
  }

  return (
    <Card aria-labelledby="members-title">
      <SectionTitle id="members-title">{t("members.title")}</SectionTitle>
      {dir.query.isPending ? (
        <Loading />
      ) : dir.query.error ? (
        <ErrorView error={dir.query.error} onRetry={() => void dir.query.refetch()} />
      ) : (
        <ul className="divide-y divide-slate-100" data-testid="members">
          {dir.active.map((m) => (
            <li key={m.id} className="flex items-center justify-between gap-3 py-2.5">
              <span className="flex min-w-0 items-center gap-2">
                <span aria-hidden className="grid h-9 w-9 shrink-0 place-items-center rounded-full bg-brand-100 font-semibold text-brand-900">
                  {m.name.slice(0, 1).toUpperCase()}
                </span>
                <span className="min-w-0">
                  <span className="block truncate font-medium text-slate-900">{dir.name(m.id)}</span>
                  {m.user_id === null ? (
                    <span className="text-xs text-slate-600">{t("members.guestBadge")}</span>
                  ) : null}
                </span>
              </span>
              <span className="flex shrink-0 items-center gap-2">
                <Money amount={m.balance} currency={group.currency} signed className="text-sm" />
                {!m.is_me && isZero(m.balance, group.currency) ? (
                  <ConfirmButton
                    small
                    variant="ghost"
                    question={t("members.removeConfirm", { name: m.name })}
                    confirmLabel={t("members.remove")}
                    onConfirm={() => removeMember(m)}
                    aria-label={`${t("members.remove")} ${m.name}`}
                  >
                    {t("members.remove")}
                  </ConfirmButton>
                ) : null}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function inviteLink(invite: Invite): string {
  // Same origin as this page: the link works wherever the app is served.
  return typeof window !== "undefined" ? `${window.location.origin}/join/${invite.code}` : invite.url;
}

function InviteCard({ group }: { group: Group }) {
  const { t, locale } = useI18n();
  const toast = useToast();
  const invites = useInvites(group.id);
  const create = useCreateInvite(group.id);
  const revoke = useRevokeInvite(group.id);
  const invite = invites.data?.items[0];

  return (
    <Card aria-labelledby="invite-title">
      <SectionTitle id="invite-title">{t("members.invite")}</SectionTitle>
      <p className="mb-3 text-sm text-slate-700">{t("members.inviteHint")}</p>
      {invites.isPending ? (
        <Loading />
      ) : invites.error ? (
        <ErrorView error={invites.error} onRetry={() => void invites.refetch()} />
      ) : invite ? (
        <div className="space-y-3">
          <div className="flex flex-wrap items-center gap-2">
            <input
              readOnly
              aria-label={t("members.invite")}
              value={inviteLink(invite)}
              data-testid="invite-url"
              className="min-h-11 min-w-0 flex-1 rounded-lg bg-slate-50 px-3 font-mono text-sm text-slate-900 ring-1 ring-slate-300"
              onFocus={(e) => e.currentTarget.select()}
            />
            <CopyButton text={inviteLink(invite)} small={false} />
            <ShareButton url={inviteLink(invite)} title={group.name} text={t("members.shareText", { group: group.name })} label={t("members.share")} />
          </div>
          <p className="text-sm text-slate-600">
            {invite.expires_at ? t("members.inviteExpires", { date: formatDate(invite.expires_at, locale) }) : t("members.inviteNoExpiry")}
          </p>
          <div className="flex justify-center rounded-lg bg-white p-3 ring-1 ring-slate-200">
            <QRCodeSVG value={inviteLink(invite)} size={176} role="img" aria-label={t("members.qr")} marginSize={2} />
          </div>
          <Button
            variant="ghost"
            small
            busy={revoke.isPending}
            onClick={() => revoke.mutate(invite.code, { onError: (e) => toast(errorMessage(t, e), "error") })}
          >
            {t("members.inviteRevoke")}
          </Button>
        </div>
      ) : (
        <Button busy={create.isPending} onClick={() => create.mutate(undefined, { onError: (e) => toast(errorMessage(t, e), "error") })}>
          {t("members.inviteCreate")}
        </Button>
      )}
    </Card>
  );
}


function AddGuestCard({ group }: { group: Group }) {
  const { t } = useI18n();
  const toast = useToast();
  const add = useAddMember(group.id);
  const errors = useApiErrors((p) => p === "name");
  const [name, setName] = useState("");
  function submit(e: FormEvent) {
    e.preventDefault();
    errors.clear();
    add.mutate(
      { name: name.trim() },
      {
        onSuccess: (m) => {
          setName("");
          toast(t("members.added", { name: m.name }));
        },
        onError: (err) => errors.fail(err),
      },
    );
  }
  return (
    <Card aria-labelledby="guest-title">
      <SectionTitle id="guest-title">{t("members.addGuest")}</SectionTitle>
      <form onSubmit={submit} noValidate className="space-y-3">
        <ErrorSummary messages={errors.summary} />
        <TextField label={t("members.guestName")} hint={t("members.addGuestHint")} value={name} onChange={(e) => setName(e.target.value)} errors={errors.at("name")} />
        <Button type="submit" busy={add.isPending} disabled={!name.trim()}>
          {t("common.add")}
        </Button>
      </form>
    </Card>
  );
}

function AddUserCard({ group }: { group: Group }) {
  const { t } = useI18n();
  const toast = useToast();
  const add = useAddMember(group.id);
  const errors = useApiErrors((p) => p === "email" || p === "username");
  const [value, setValue] = useState("");
  function submit(e: FormEvent) {
    e.preventDefault();
    errors.clear();
    const v = value.trim();
    add.mutate(v.includes("@") ? { email: v } : { username: v.replace(/^@/, "") }, {
      onSuccess: (m) => {
        setValue("");
        toast(t("members.added", { name: m.name }));
      },
      onError: (err) => errors.fail(err),
    });
  }
  return (
    <Card aria-labelledby="adduser-title">
      <SectionTitle id="adduser-title">{t("members.addUser")}</SectionTitle>
      <form onSubmit={submit} noValidate className="space-y-3">
        <ErrorSummary messages={errors.summary} />
        <TextField
          label={t("members.emailOrUsername")}
          autoComplete="off"
          autoCapitalize="none"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          errors={[...(errors.at("email") ?? []), ...(errors.at("username") ?? [])]}
        />
        <Button type="submit" busy={add.isPending} disabled={!value.trim()}>
          {t("common.add")}
        </Button>
      </form>
    </Card>
  );
}
