import { notFound } from "next/navigation";

import { titled } from "@/lib/server-i18n";

import { EditBill } from "./edit-bill";

export const generateMetadata = titled("bill.edit.title");

export default async function EditBillPage({ params }: { params: Promise<{ gid: string; bid: string }> }) {
  const { gid, bid } = await params;
  if (!/^[1-9][0-9]{0,15}$/.test(gid) || !/^[1-9][0-9]{0,15}$/.test(bid)) notFound();
  return <EditBill gid={Number(gid)} bid={Number(bid)} />;
}
