import { notFound } from "next/navigation";

import { titled } from "@/lib/server-i18n";

import { RecurringFormPage } from "../recurring-form";

export const generateMetadata = titled("recurring.new");

export default async function NewRecurringPage({ params }: { params: Promise<{ gid: string }> }) {
  const { gid } = await params;
  if (!/^[1-9][0-9]{0,15}$/.test(gid)) notFound();
  return <RecurringFormPage gid={Number(gid)} rid={null} />;
}
