"use client";

import { useMemo } from "react";

import { useI18n } from "./i18n-react";
import { useMembers, type Member } from "./queries";

/** Member names by id (inactive members included: old bills still name them). */
export function useMemberDirectory(gid: number) {
  const { t } = useI18n();
  const members = useMembers(gid);
  const data = members.data;
  const directory = useMemo(() => {
    const all: Member[] = data?.items ?? [];
    const byId = new Map(all.map((m) => [m.id, m]));
    const name = (id: number | null | undefined): string => {
      if (id == null) return "?";
      const m = byId.get(id);
      if (!m) return `#${id}`;
      return m.is_me ? `${m.name} ${t("common.youSuffix")}` : m.name;
    };
    const active = all.filter((m) => m.is_active);
    const me = all.find((m) => m.is_me) ?? null;
    return { all, active, byId, name, me };
  }, [data, t]);
  return { query: members, ...directory };
}
