import { notFound } from "next/navigation";

import { GroupView } from "./group-view";

export default async function GroupPage({ params }: { params: Promise<{ gid: string }> }) {
  const { gid } = await params;
  if (!/^[1-9][0-9]{0,15}$/.test(gid)) notFound();
  return <GroupView gid={Number(gid)} />;
}
