"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRef, useState, type FormEvent } from "react";

import { RequireAuth } from "@/components/auth";
import { ErrorSummary, useApiErrors } from "@/components/form";
import { Button, Card, PageTitle, SelectField, TextField } from "@/components/ui";
import { api, idempotencyKey, unwrap } from "@/lib/api/client";
import { useI18n } from "@/lib/i18n-react";
import { COMMON_CURRENCIES } from "@/lib/money";
import { qk, type Group, type Me, type Member } from "@/lib/queries";

import { NewBillScreen } from "../groups/[gid]/bills/new/new-bill";

export function SplitNow() {
  return <RequireAuth>{(me) => <Flow me={me} />}</RequireAuth>;
}

/**
 * "Split a bill now": who's in (creates a group with them as guests), then the bill itself.
 * The group stays, so the bill can be settled and more bills added later.
 */
function Flow({ me }: { me: Me }) {
  const [ready, setReady] = useState<{ group: Group; members: Member[]; title: string } | null>(null);
  if (ready) return <NewBillScreen group={ready.group} members={ready.members} title={ready.title} />;
  return <PeopleStep me={me} onReady={setReady} />;
}

function PeopleStep({ me, onReady }: { me: Me; onReady: (r: { group: Group; members: Member[]; title: string }) => void }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [title, setTitle] = useState("");
  const [currency, setCurrency] = useState(me.default_currency || "IDR");
  const [names, setNames] = useState<string[]>(["", ""]);
  const [busy, setBusy] = useState(false);
  const [needPeople, setNeedPeople] = useState(false);
  const errors = useApiErrors((p) => p === "name" || p === "currency");
  const key = useRef(idempotencyKey());
  const created = useRef<Group | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    errors.clear();
    const people = names.map((n) => n.trim()).filter(Boolean);
    setNeedPeople(people.length === 0);
    if (people.length === 0) return;
    setBusy(true);
    try {
      const group =
        created.current ??
        (await unwrap(
          api.POST("/api/groups", {
            body: { name: title.trim() || t("split.title"), currency, simplify_debts: true },
            headers: { "Idempotency-Key": key.current },
          }),
        ));
      created.current = group;
      const existing = await unwrap(api.GET("/api/groups/{gid}/members", { params: { path: { gid: group.id } } }));
      const have = new Set(existing.items.map((m) => m.name));
      const members = [...existing.items];
      for (const name of people) {
        if (have.has(name)) continue;
        members.push(await unwrap(api.POST("/api/groups/{gid}/members", { params: { path: { gid: group.id } }, body: { name } })));
        have.add(name);
      }
      void qc.invalidateQueries({ queryKey: qk.groups });
      qc.setQueryData(qk.group(group.id), group);
      onReady({ group, members, title: title.trim() });
    } catch (err) {
      errors.fail(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="mx-auto max-w-xl">
      <PageTitle sub={t("split.step1")}>{t("split.title")}</PageTitle>
      <Card>
        <form onSubmit={(e) => void submit(e)} noValidate className="space-y-4">
          <ErrorSummary messages={errors.summary} />
          <TextField label={t("split.billTitle")} placeholder={t("bill.titlePlaceholder")} value={title} onChange={(e) => setTitle(e.target.value)} errors={errors.at("name")} />
          <SelectField label={t("group.currency")} value={currency} onChange={(e) => setCurrency(e.target.value)} errors={errors.at("currency")}>
            {COMMON_CURRENCIES.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </SelectField>
          <fieldset>
            <legend className="mb-2 text-sm font-medium text-slate-800">{t("split.people")}</legend>
            <ul className="space-y-2">
              {names.map((n, i) => (
                <li key={i} className="flex items-end gap-2">
                  <TextField
                    className="flex-1"
                    label={t("split.personName", { n: i + 1 })}
                    hideLabel
                    placeholder={t("split.personName", { n: i + 1 })}
                    value={n}
                    onChange={(e) => setNames((list) => list.map((x, j) => (j === i ? e.target.value : x)))}
                  />
                  {names.length > 1 ? (
                    <Button variant="ghost" small aria-label={`${t("common.remove")} ${i + 1}`} onClick={() => setNames((list) => list.filter((_, j) => j !== i))}>
                      ✕
                    </Button>
                  ) : null}
                </li>
              ))}
            </ul>
            {needPeople ? <p className="mt-1 text-sm text-red-700" role="alert">{t("split.needPeople")}</p> : null}
            <Button variant="secondary" small className="mt-2" onClick={() => setNames((l) => [...l, ""])}>
              + {t("split.addPerson")}
            </Button>
          </fieldset>
          <Button type="submit" busy={busy} className="w-full">
            {t("common.next")}
          </Button>
        </form>
      </Card>
    </div>
  );
}
