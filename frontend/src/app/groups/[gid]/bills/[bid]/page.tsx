import { notFound } from "next/navigation";

import { BillDetail } from "./bill-detail";

export default async function BillPage({ params }: { params: Promise<{ gid: string; bid: string }> }) {
  const { gid, bid } = await params;
  if (!/^[1-9][0-9]{0,15}$/.test(gid) || !/^[1-9][0-9]{0,15}$/.test(bid)) notFound();
  return <BillDetail gid={Number(gid)} bid={Number(bid)} />;
}
