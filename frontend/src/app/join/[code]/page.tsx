import { titled } from "@/lib/server-i18n";

import { JoinView } from "./join-view";

export const generateMetadata = titled("join.title");

export default async function JoinPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  return <JoinView code={code} />;
}
