"use client";

import dynamic from "next/dynamic";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { Suspense, useEffect } from "react";

import { RequireAuth } from "@/components/auth";
import { BalanceLabel } from "@/components/money";
import { ErrorView, LinkButton, Loading, cx } from "@/components/ui";
import { useI18n } from "@/lib/i18n-react";
import { titleWithBadge } from "@/lib/live";
import { useGroup, useGroupLiveUpdates, type Group } from "@/lib/queries";

import { BalancesTab } from "./balances-tab";
import { BillsTab } from "./bills-tab";

// Tabs other than the first two load on demand: the group page's first load stays small.
const MembersTab = dynamic(() => import("./members-tab").then((m) => m.MembersTab), { loading: () => <Loading /> });
const ActivityTab = dynamic(() => import("./activity-tab").then((m) => m.ActivityTab), { loading: () => <Loading /> });
const RecurringTab = dynamic(() => import("./recurring-tab").then((m) => m.RecurringTab), { loading: () => <Loading /> });
const SpendingTab = dynamic(() => import("./spending-tab").then((m) => m.SpendingTab), { loading: () => <Loading /> });
const SettingsTab = dynamic(() => import("./settings-tab").then((m) => m.SettingsTab), { loading: () => <Loading /> });

const TABS = ["bills", "balances", "recurring", "spending", "members", "activity", "settings"] as const;
type Tab = (typeof TABS)[number];

export function GroupView({ gid }: { gid: number }) {
  return (
    <RequireAuth>
      {() => (
        <Suspense fallback={<Loading />}>
          <GroupLoaded gid={gid} />
        </Suspense>
      )}
    </RequireAuth>
  );
}

function GroupLoaded({ gid }: { gid: number }) {
  const group = useGroup(gid);
  if (group.error) return <ErrorView error={group.error} onRetry={() => void group.refetch()} />;
  if (!group.data) return <Loading />;
  return <GroupScreen group={group.data} />;
}

function GroupScreen({ group }: { group: Group }) {
  const { t } = useI18n();
  const params = useSearchParams();
  const raw = params.get("tab");
  const tab: Tab = (TABS as readonly string[]).includes(raw ?? "") ? (raw as Tab) : "bills";
  const labels: Record<Tab, string> = {
    bills: t("group.tab.bills"),
    balances: t("group.tab.balances"),
    recurring: t("group.tab.recurring"),
    spending: t("group.tab.spending"),
    members: t("group.tab.members"),
    activity: t("group.tab.activity"),
    settings: t("group.tab.settings"),
  };
  // Another member's bill or confirmation shows up within seconds; pending ones badge the tab.
  const pending = useGroupLiveUpdates(group.id)?.pending_confirmations ?? 0;
  useEffect(() => {
    document.title = titleWithBadge(document.title, pending);
    return () => {
      document.title = titleWithBadge(document.title, 0);
    };
  }, [pending]);

  return (
    <div>
      <div className="mb-4 flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="text-sm">
            <Link href="/" className="text-brand-800 underline">
              {t("nav.home")}
            </Link>
          </p>
          <h1 className="mt-1 truncate text-2xl font-bold tracking-tight">{group.name}</h1>
          <p className="mt-1 text-sm text-slate-700">
            {t("group.myBalance")}: <BalanceLabel amount={group.my_balance} currency={group.currency} />
          </p>
        </div>
        <LinkButton href={`/groups/${group.id}/bills/new`}>+ {t("group.newBill")}</LinkButton>
      </div>

      <nav
        aria-label={t("group.tabs")}
        className="-mx-4 mb-4 overflow-x-auto border-b border-slate-200 px-4 [mask-image:linear-gradient(to_right,black_85%,transparent)] sm:[mask-image:none]"
      >
        <ul className="flex min-w-max gap-1">
          {TABS.map((key) => (
            <li key={key}>
              <Link
                href={`/groups/${group.id}?tab=${key}`}
                replace
                scroll={false}
                aria-current={tab === key ? "page" : undefined}
                className={cx(
                  "inline-block border-b-2 px-2.5 py-2.5 text-sm font-medium sm:px-3",
                  tab === key ? "border-brand-700 text-brand-900" : "border-transparent text-slate-700 hover:text-slate-900",
                )}
              >
                {labels[key]}
                {key === "balances" && pending > 0 ? (
                  <span className="ml-1.5 rounded-full bg-amber-500 px-1.5 py-0.5 text-xs font-bold text-white" data-testid="pending-badge">
                    {pending}
                    <span className="sr-only"> {t("group.pendingBadge")}</span>
                  </span>
                ) : null}
              </Link>
            </li>
          ))}
        </ul>
      </nav>

      {tab === "bills" ? (
        <div className="lg:grid lg:grid-cols-[1fr_20rem] lg:gap-6">
          <BillsTab group={group} />
          <aside className="hidden lg:block" aria-label={t("balances.title")}>
            <BalancesTab group={group} compact />
          </aside>
        </div>
      ) : tab === "balances" ? (
        <BalancesTab group={group} />
      ) : tab === "recurring" ? (
        <RecurringTab group={group} />
      ) : tab === "spending" ? (
        <SpendingTab group={group} />
      ) : tab === "members" ? (
        <MembersTab group={group} />
      ) : tab === "activity" ? (
        <ActivityTab group={group} />
      ) : (
        <SettingsTab group={group} />
      )}
    </div>
  );
}
