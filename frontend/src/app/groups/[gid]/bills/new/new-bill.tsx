"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";

import { RequireAuth } from "@/components/auth";
import { BillForm } from "@/components/bill-form";
import { useToast } from "@/components/toast";
import { ErrorView, Loading, PageTitle } from "@/components/ui";
import { idempotencyKey } from "@/lib/api/client";
import { isApiError, type FieldErrors } from "@/lib/api/errors";
import { newDraft, type BillDraft } from "@/lib/bill";
import { useI18n } from "@/lib/i18n-react";
import { useCreateBill, useGroup, useMembers, type BillIn, type Group, type Member } from "@/lib/queries";

export function NewBill({ gid }: { gid: number }) {
  return <RequireAuth>{() => <Loader gid={gid} />}</RequireAuth>;
}

function Loader({ gid }: { gid: number }) {
  const group = useGroup(gid);
  const members = useMembers(gid);
  const error = group.error ?? members.error;
  if (error) return <ErrorView error={error} onRetry={() => void Promise.all([group.refetch(), members.refetch()])} />;
  if (!group.data || !members.data) return <Loading />;
  return <NewBillScreen group={group.data} members={members.data.items.filter((m) => m.is_active)} />;
}

/** A create-bill screen for a loaded group (also the second step of "split a bill now"). */
export function NewBillScreen({ group, members, title, back = true }: { group: Group; members: Member[]; title?: string; back?: boolean }) {
  const { t } = useI18n();
  const router = useRouter();
  const toast = useToast();
  const create = useCreateBill(group.id);
  const [draft, setDraft] = useState<BillDraft>(() =>
    newDraft({
      currency: group.currency,
      myMemberId: group.my_member_id,
      memberIds: members.map((m) => m.id),
      title,
    }),
  );
  const [serverFields, setServerFields] = useState<FieldErrors>({});

  const [summary, setSummary] = useState<string | null>(null);
  // One Idempotency-Key per distinct body: a retry of the same save can't create it twice.
  const attempt = useRef<{ body: string; key: string } | null>(null);

  function save(body: BillIn) {
    const json = JSON.stringify(body);
    if (attempt.current?.body !== json) attempt.current = { body: json, key: idempotencyKey() };
    setServerFields({});
    setSummary(null);
    create.mutate(
      { body, key: attempt.current.key },
      {
        onSuccess: (bill) => {
          toast(t("bill.saved"));
          router.push(`/groups/${group.id}/bills/${bill.id}`);
        },
        onError: (e) => {
          if (isApiError(e) && Object.keys(e.fields).length) setServerFields(e.fields);
          else setSummary(isApiError(e) ? e.message : String(e));
        },
      },
    );
  }

  return (
    <div>
      {back ? (
        <p className="mb-1 text-sm">
          <Link href={`/groups/${group.id}`} className="text-brand-800 underline">
            {group.name}
          </Link>
        </p>
      ) : null}
      <PageTitle>{t("bill.new.title")}</PageTitle>
      <BillForm
        group={group}
        members={members}
        draft={draft}
        setDraft={setDraft}
        serverFields={serverFields}
        banner={summary ? <ErrorView error={create.error} /> : null}
        submitLabel={t("bill.save")}
        busy={create.isPending}
        onSubmit={save}
      />
    </div>
  );
}
