import { Suspense } from "react";

import { titled } from "@/lib/server-i18n";

import { UnsubscribeView } from "./unsubscribe-view";

export const generateMetadata = titled("unsubscribe.title");

export default function UnsubscribePage() {
  return (
    <Suspense>
      <UnsubscribeView />
    </Suspense>
  );
}
