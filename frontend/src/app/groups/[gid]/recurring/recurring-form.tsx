"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";

import { RequireAuth } from "@/components/auth";
import { BillForm, useUntilDraftEdited } from "@/components/bill-form";
import { useToast } from "@/components/toast";
import { Alert, ErrorView, Loading, PageTitle } from "@/components/ui";
import { idempotencyKey } from "@/lib/api/client";
import { isApiError, type FieldErrors } from "@/lib/api/errors";
import { draftFromBill, newDraft, type BillDraft } from "@/lib/bill";
import { useI18n } from "@/lib/i18n-react";
import {
  useCreateRecurring,
  useGroup,
  useMembers,
  useRecurringOne,
  useUpdateRecurring,
  type BillIn,
  type Group,
  type Member,
} from "@/lib/queries";
import {
  billFieldPaths,
  recurringBodyFromBill,
  recurringPatch,
  templateForEdit,
  type Interval,
  type RecurringIn,
  type RecurringOut,
} from "@/lib/recurring";

/** The create (rid null) or edit screen of a recurring bill: the bill form in template mode. */
export function RecurringFormPage({ gid, rid }: { gid: number; rid: number | null }) {
  return <RequireAuth>{() => (rid === null ? <NewLoader gid={gid} /> : <EditLoader gid={gid} rid={rid} />)}</RequireAuth>;
}

function NewLoader({ gid }: { gid: number }) {
  const group = useGroup(gid);
  const members = useMembers(gid);
  const error = group.error ?? members.error;
  if (error) return <ErrorView error={error} />;
  if (!group.data || !members.data) return <Loading />;
  return <FormScreen group={group.data} members={members.data.items.filter((m) => m.is_active)} template={null} />;
}

function EditLoader({ gid, rid }: { gid: number; rid: number }) {
  const group = useGroup(gid);
  const members = useMembers(gid);
  const template = useRecurringOne(gid, rid);
  const error = group.error ?? members.error ?? template.error;
  if (error) return <ErrorView error={error} />;
  if (!group.data || !members.data || !template.data) return <Loading />;
  return <FormScreen group={group.data} members={members.data.items.filter((m) => m.is_active)} template={template.data} />;
}

function FormScreen({ group, members, template }: { group: Group; members: Member[]; template: RecurringOut | null }) {
  const { t, locale } = useI18n();
  const router = useRouter();
  const toast = useToast();
  const create = useCreateRecurring(group.id);
  const update = useUpdateRecurring(group.id, template?.id ?? 0);
  const [draft, setDraft] = useState<BillDraft>(() =>
    template
      ? draftFromBill(templateForEdit(template), locale)
      : { ...newDraft({ currency: group.currency, myMemberId: group.my_member_id, memberIds: members.map((m) => m.id), mode: "equal" }), category: "utilities" },
  );
  const [interval, setRepeat] = useState<Interval>(template?.interval ?? "monthly");
  const [serverFields, setServerFields] = useState<FieldErrors>({});
  const [summary, setSummary] = useState<string | null>(null);
  const banner = useUntilDraftEdited(summary, draft, null);
  const attempt = useRef<{ body: string; key: string } | null>(null);
  const before: RecurringIn | null = template
    ? recurringBodyFromBill({ ...template, date: template.start_date }, template.interval, template.start_date)
    : null;

  const done = () => {
    toast(t("recurring.saved"));
    router.push(`/groups/${group.id}?tab=recurring`);
  };
  const failed = (e: unknown) => {
    if (isApiError(e) && Object.keys(e.fields).length) setServerFields(billFieldPaths(e.fields));
    else setSummary(isApiError(e) ? e.message : String(e));
  };

  function save(bill: BillIn) {
    const body = recurringBodyFromBill(bill, interval, draft.date);
    setServerFields({});
    setSummary(null);
    if (before && template) {
      update.mutate(recurringPatch(before, body), { onSuccess: done, onError: failed });
      return;
    }
    const json = JSON.stringify(body);
    if (attempt.current?.body !== json) attempt.current = { body: json, key: idempotencyKey() };
    create.mutate({ body, key: attempt.current.key }, { onSuccess: done, onError: failed });
  }

  return (
    <div>
      <p className="mb-1 text-sm">
        <Link href={`/groups/${group.id}?tab=recurring`} className="text-brand-800 underline">
          {group.name}
        </Link>
      </p>
      <PageTitle sub={t("recurring.runsAt")}>{template ? t("recurring.edit.title") : t("recurring.new")}</PageTitle>
      <BillForm
        group={group}
        members={members}
        draft={{ ...draft, currency: group.currency }}
        setDraft={setDraft}
        serverFields={serverFields}
        banner={banner ? <Alert>{banner}</Alert> : null}
        submitLabel={t("recurring.save")}
        busy={create.isPending || update.isPending}
        onSubmit={save}
        recurring={{ interval, onInterval: setRepeat }}
      />
    </div>
  );
}
