import { notFound } from "next/navigation";

import { titled } from "@/lib/server-i18n";

import { RecurringFormPage } from "../../recurring-form";

export const generateMetadata = titled("recurring.edit.title");

export default async function EditRecurringPage({ params }: { params: Promise<{ gid: string; rid: string }> }) {
  const { gid, rid } = await params;
  if (!/^[1-9][0-9]{0,15}$/.test(gid) || !/^[1-9][0-9]{0,15}$/.test(rid)) notFound();
  return <RecurringFormPage gid={Number(gid)} rid={Number(rid)} />;
}
