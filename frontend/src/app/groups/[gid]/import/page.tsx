import { notFound } from "next/navigation";

import { titled } from "@/lib/server-i18n";

import { ImportView } from "./import-view";

export const generateMetadata = titled("import.title");

export default async function ImportPage({ params }: { params: Promise<{ gid: string }> }) {
  const { gid } = await params;
  if (!/^[1-9][0-9]{0,15}$/.test(gid)) notFound();
  return <ImportView gid={Number(gid)} />;
}
