"use client";

import { Button, Card, EmptyState, ErrorView, Loading, SectionTitle } from "@/components/ui";
import { formatDateTime } from "@/lib/dates";
import { describeActivity } from "@/lib/activity";
import { useI18n } from "@/lib/i18n-react";
import { useMemberDirectory } from "@/lib/members";
import { useActivity, type Group } from "@/lib/queries";

export function ActivityTab({ group }: { group: Group }) {
  const { t, locale } = useI18n();
  const activity = useActivity(group.id);
  const dir = useMemberDirectory(group.id);
  const plainName = (id: number | null | undefined) => (id == null ? "?" : (dir.byId.get(id)?.name ?? `#${id}`));
  const items = activity.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Card aria-labelledby="activity-title">
      <SectionTitle id="activity-title">{t("activity.title")}</SectionTitle>
      {activity.isPending ? (
        <Loading />
      ) : activity.error ? (
        <ErrorView error={activity.error} onRetry={() => void activity.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState>{t("activity.empty")}</EmptyState>
      ) : (
        <ol className="divide-y divide-slate-100">
          {items.map((a) => (
            <li key={a.id} className="py-2.5">
              <p className="text-slate-900">{describeActivity(a, { t, locale, currency: group.currency, memberName: plainName })}</p>
              <p className="text-xs text-slate-600">
                {a.actor_name ? `${a.actor_name} · ` : ""}
                <time dateTime={a.created_at}>{formatDateTime(a.created_at, locale)}</time>
              </p>
            </li>
          ))}
        </ol>
      )}
      {activity.hasNextPage ? (
        <Button variant="secondary" className="mt-3" busy={activity.isFetchingNextPage} onClick={() => void activity.fetchNextPage()}>
          {t("common.loadMore")}
        </Button>
      ) : null}
    </Card>
  );
}
