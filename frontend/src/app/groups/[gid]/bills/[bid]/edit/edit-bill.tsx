"use client";

import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";

import { RequireAuth } from "@/components/auth";
import { BillForm, useUntilDraftEdited } from "@/components/bill-form";
import { Money } from "@/components/money";
import { useToast } from "@/components/toast";
import { Alert, Button, ErrorView, Loading, PageTitle } from "@/components/ui";
import { isApiError, type FieldErrors } from "@/lib/api/errors";
import { draftFromBill, type BillDraft } from "@/lib/bill";
import { useI18n } from "@/lib/i18n-react";
import { fetchBill, qk, useBill, useGroup, useMembers, useUpdateBill, type Bill, type BillIn, type Group, type Member } from "@/lib/queries";

export function EditBill({ gid, bid }: { gid: number; bid: number }) {
  return <RequireAuth>{() => <Loader gid={gid} bid={bid} />}</RequireAuth>;
}

function Loader({ gid, bid }: { gid: number; bid: number }) {
  const group = useGroup(gid);
  const members = useMembers(gid);
  const bill = useBill(gid, bid);
  const error = group.error ?? members.error ?? bill.error;
  if (error) return <ErrorView error={error} />;
  if (!group.data || !members.data || !bill.data) return <Loading />;
  // Members who left stay selectable when the bill names them.
  const named = new Set([...bill.data.shares.map((s) => s.member_id), ...bill.data.payers.map((p) => p.member_id)]);
  const list = members.data.items.filter((m) => m.is_active || named.has(m.id));
  return <EditScreen group={group.data} members={list} bill={bill.data} />;
}

function EditScreen({ group, members, bill }: { group: Group; members: Member[]; bill: Bill }) {
  const { t, locale } = useI18n();
  const router = useRouter();
  const toast = useToast();
  const qc = useQueryClient();
  const update = useUpdateBill(group.id, bill.id);
  const [draft, setDraft] = useState<BillDraft>(() => draftFromBill(bill, locale));
  const [serverFields, setServerFields] = useState<FieldErrors>({});
  const [conflict, setConflict] = useState<{ latest: Bill | null; error: unknown } | null>(null);
  // The conflict stays until chosen; any other failure of the last save goes with an edit.
  const failure = useUntilDraftEdited(update.error, draft, null);

  function save(body: BillIn) {
    setServerFields({});
    update.mutate(
      { ...body, version: draft.version ?? bill.version },
      {
        onSuccess: () => {
          setConflict(null);
          toast(t("bill.saved"));
          router.push(`/groups/${group.id}/bills/${bill.id}`);
        },
        onError: (e) => {
          if (isApiError(e) && e.status === 409) {
            // Someone saved first. Keep my edits in the form; fetch theirs to compare.
            setConflict({ latest: null, error: null });
            fetchBill(group.id, bill.id).then(
              (latest) => {
                qc.setQueryData(qk.bill(group.id, bill.id), latest);
                setConflict({ latest, error: null });
              },
              (error: unknown) => setConflict({ latest: null, error }),
            );
          } else if (isApiError(e) && Object.keys(e.fields).length) {
            setServerFields(e.fields);
          }
        },
      },
    );
  }

  const banner = conflict ? (
    <Alert tone="warning" title={t("bill.conflict.title")}>
      <p>{t("bill.conflict.body")}</p>
      {conflict.latest ? (
        <>
          <p className="mt-2 font-medium">
            {t("bill.conflict.latest", { title: conflict.latest.title, version: conflict.latest.version })}{" "}
            <Money amount={conflict.latest.total} currency={group.currency} />
          </p>
          <div className="mt-3 flex flex-wrap gap-2">
            <Button
              small
              onClick={() => {
                setDraft((d) => ({ ...d, version: conflict.latest!.version }));
                setConflict(null);
              }}
            >
              {t("bill.conflict.keepMine")}
            </Button>
            <Button
              small
              variant="secondary"
              onClick={() => {
                setDraft(draftFromBill(conflict.latest!, locale));
                setConflict(null);
              }}
            >
              {t("bill.conflict.takeLatest")}
            </Button>
          </div>
        </>
      ) : conflict.error ? (
        <ErrorView error={conflict.error} />
      ) : (
        <p className="mt-2">{t("bill.conflict.loadingLatest")}</p>
      )}
    </Alert>
  ) : failure && !isApiError(failure) ? (
    <ErrorView error={failure} />
  ) : failure && isApiError(failure) && failure.status !== 409 && Object.keys(failure.fields).length === 0 ? (
    <ErrorView error={failure} />
  ) : null;

  return (
    <div>
      <p className="mb-1 text-sm">
        <Link href={`/groups/${group.id}/bills/${bill.id}`} className="text-brand-800 underline">
          {bill.title}
        </Link>
      </p>
      <PageTitle>{t("bill.edit.title")}</PageTitle>
      <BillForm
        group={group}
        members={members}
        draft={draft}
        setDraft={setDraft}
        serverFields={serverFields}
        banner={banner}
        submitLabel={t("bill.save")}
        busy={update.isPending}
        onSubmit={save}
      />
    </div>
  );
}
