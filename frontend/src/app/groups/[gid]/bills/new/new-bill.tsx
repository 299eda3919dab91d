"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";

import { RequireAuth } from "@/components/auth";
import { BillForm, useUntilDraftEdited } from "@/components/bill-form";
import { useToast } from "@/components/toast";
import { Alert, Button, ErrorView, Loading, PageTitle } from "@/components/ui";
import { idempotencyKey } from "@/lib/api/client";
import { isApiError, type FieldErrors } from "@/lib/api/errors";
import { newDraft, type BillDraft } from "@/lib/bill";
import { formatDateTime } from "@/lib/dates";
import { browserStorage, clearDraft, idempotencyKeyFor, isDirty, loadDraft, saveDraft } from "@/lib/draft-store";
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
  const { t, locale } = useI18n();
  const router = useRouter();
  const toast = useToast();
  const create = useCreateBill(group.id);
  const fresh = () =>
    newDraft({
      currency: group.currency,
      myMemberId: group.my_member_id,
      memberIds: members.map((m) => m.id),
      title,
    });
  const [pristine, setPristine] = useState<BillDraft>(fresh);
  const [draft, setDraft] = useState<BillDraft>(pristine);
  const { restoredAt, discard, saved } = useStoredDraft(group.id, draft, setDraft, pristine);
  const dirty = isDirty(draft, pristine);
  useLeaveGuard(dirty, t("bill.draft.leaveConfirm"));
  const [serverFields, setServerFields] = useState<FieldErrors>({});

  const [summary, setSummary] = useState<string | null>(null);
  const banner = useUntilDraftEdited(summary, draft, null);
  // Offline, or the answer lost: the save waits and retries by itself (RETRY_LOST_CONNECTION in
  // lib/queries.ts), the form locked meanwhile so what is sent is what is on screen.
  const waiting = create.isPending && (create.isPaused || create.failureCount > 0);
  const waited = useRef(false);
  useEffect(() => {
    if (waiting) waited.current = true;
  }, [waiting]);

  function save(body: BillIn) {
    // One Idempotency-Key per distinct body, kept with the draft: a retry of the same save, even
    // after a reload, can't create the bill twice.
    const key = idempotencyKeyFor(browserStorage(), group.id, JSON.stringify(body), idempotencyKey);
    waited.current = false;
    setServerFields({});
    setSummary(null);
    create.mutate(
      { body, key },
      {
        onSuccess: (bill) => {
          saved();
          toast(waited.current ? t("bill.savedWhenOnline") : t("bill.saved"));
          // Replace the new-bill entry: Back from the bill goes where the person came from,
          // not to an empty form.
          router.replace(`/groups/${group.id}/bills/${bill.id}`);
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
      {waiting ? (
        <Alert tone="warning" className="mb-3">
          <span data-testid="save-waiting">{create.isPaused ? t("bill.offline.waiting") : t("bill.offline.retrying")}</span>
        </Alert>
      ) : null}
      {dirty && !waiting ? (
        <div role="status" className="mb-3 flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-slate-700">
          <span>{restoredAt ? t("bill.draft.restored", { time: formatDateTime(new Date(restoredAt).toISOString(), locale) }) : t("bill.draft.kept")}</span>
          <Button
            variant="secondary"
            small
            onClick={() => {
              const next = fresh();
              discard();
              setPristine(next);
              setDraft(next);
              toast(t("bill.draft.discarded"), "info");
            }}
          >
            {t("bill.draft.discard")}
          </Button>
        </div>
      ) : null}
      <BillForm
        group={group}
        members={members}
        draft={draft}
        setDraft={setDraft}
        serverFields={serverFields}
        banner={banner ? <ErrorView error={create.error} /> : null}
        submitLabel={waiting ? t("bill.offline.button") : t("bill.save")}
        busy={create.isPending}
        locked={waiting}
        onSubmit={save}
      />
    </div>
  );
}

/**
 * Keeps the bill being typed in localStorage (src/lib/draft-store.ts) and restores it on the next
 * visit. Loaded after mount (the server renders the empty form), saved on every change once
 * loaded, removed when the form is back to empty, discarded or saved.
 */
function useStoredDraft(groupId: number, draft: BillDraft, setDraft: (d: BillDraft) => void, pristine: BillDraft) {
  const [loaded, setLoaded] = useState(false);
  const [restoredAt, setRestoredAt] = useState<number | null>(null);
  const done = useRef(false);
  useEffect(() => {
    // localStorage is the external system here, and the server can't read it: state is set
    // from it once, after mount, so the first render matches the server's HTML.
    /* eslint-disable react-hooks/set-state-in-effect */
    const stored = loadDraft(browserStorage(), groupId);
    if (stored) {
      setDraft(stored.draft);
      setRestoredAt(stored.savedAt);
    }
    setLoaded(true);
    /* eslint-enable react-hooks/set-state-in-effect */
    // Only on arrival: later changes are this page's own.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [groupId]);
  useEffect(() => {
    if (!loaded || done.current) return;
    if (isDirty(draft, pristine)) saveDraft(browserStorage(), groupId, draft);
    else clearDraft(browserStorage(), groupId);
  }, [draft, pristine, loaded, groupId]);
  return {
    restoredAt,
    discard: () => {
      clearDraft(browserStorage(), groupId);
      setRestoredAt(null);
    },
    saved: () => {
      done.current = true;
      clearDraft(browserStorage(), groupId);
    },
  };
}

/**
 * Asks before leaving a form with unsaved typing: the browser's own prompt for a reload or a
 * closed tab, a confirm for links inside the app (Next's router has no navigation guard).
 */
function useLeaveGuard(active: boolean, message: string) {
  useEffect(() => {
    if (!active) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = "";
    };
    const onClick = (e: MouseEvent) => {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      const a = (e.target as Element | null)?.closest?.("a[href]");
      if (!(a instanceof HTMLAnchorElement) || a.target === "_blank" || a.hasAttribute("download")) return;
      const to = new URL(a.href, window.location.href);
      if (to.origin !== window.location.origin || to.pathname === window.location.pathname) return;
      if (!window.confirm(message)) {
        e.preventDefault();
        e.stopPropagation();
      }
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    document.addEventListener("click", onClick, true);
    return () => {
      window.removeEventListener("beforeunload", onBeforeUnload);
      document.removeEventListener("click", onClick, true);
    };
  }, [active, message]);
}
