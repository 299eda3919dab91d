"use client";

import { useEffect, useState } from "react";

// Each button fails in a way Sentry must see, with secrets in the message that it must not.
// `early`: an error right after hydration, before the SDK has loaded (the loader remembers it).
export function SentryDebug({ early }: { early: boolean }) {
  const [crash, setCrash] = useState(false);
  useEffect(() => {
    if (!early) return;
    const timer = setTimeout(() => {
      throw new Error("Debug early error for ayu.debug@example.com password=early-secret");
    }, 0);
    return () => clearTimeout(timer);
  }, [early]);
  if (crash) throw new Error("Debug render error for ayu.debug@example.com token=render-token-secret");
  return (
    <div className="space-y-3">
      <h1 className="text-xl font-bold">Sentry debug</h1>
      <button
        type="button"
        className="block rounded bg-slate-800 px-3 py-2 text-white"
        onClick={() => {
          throw new Error("Debug click error for ayu.debug@example.com password=hunter2-secret");
        }}
      >
        Throw in a click handler
      </button>
      <button
        type="button"
        className="block rounded bg-slate-800 px-3 py-2 text-white"
        onClick={() => {
          void Promise.reject(new Error("Debug rejection for ayu.debug@example.com Authorization: Bearer rejection-bearer-secret"));
        }}
      >
        Reject a promise
      </button>
      <button type="button" className="block rounded bg-slate-800 px-3 py-2 text-white" onClick={() => setCrash(true)}>
        Crash while rendering
      </button>
    </div>
  );
}
