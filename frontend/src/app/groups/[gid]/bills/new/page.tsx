import { notFound } from "next/navigation";

import { titled } from "@/lib/server-i18n";

import { NewBill } from "./new-bill";

export const generateMetadata = titled("bill.new.title");

export default async function NewBillPage({ params }: { params: Promise<{ gid: string }> }) {
  const { gid } = await params;
  if (!/^[1-9][0-9]{0,15}$/.test(gid)) notFound();
  return <NewBill gid={Number(gid)} />;
}
