import { titled } from "@/lib/server-i18n";

import { SplitNow } from "./split-now";

export const generateMetadata = titled("split.title");

export default function SplitPage() {
  return <SplitNow />;
}
