"use client";

import { useSyncExternalStore } from "react";

import { Button } from "@/components/ui";

const noSubscription = () => () => undefined;
const hasShareSheet = () => typeof navigator.share === "function";

/**
 * The phone's share sheet (Web Share API) for a link; renders nothing where the browser has
 * none (most desktops), next to the copy button that works everywhere.
 */
export function ShareButton({ url, title, text, label }: { url: string; title: string; text: string; label: string }) {
  // false on the server and in the first render, then whatever this browser has.
  const canShare = useSyncExternalStore(noSubscription, hasShareSheet, () => false);
  if (!canShare) return null;
  return (
    <Button
      variant="secondary"
      onClick={() => {
        // A dismissed sheet rejects with AbortError: nothing to report.
        navigator.share({ url, title, text }).catch(() => undefined);
      }}
    >
      {label}
    </Button>
  );
}
