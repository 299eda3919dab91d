"use client";

import { usePathname, useRouter } from "next/navigation";
import { useEffect, type ReactNode } from "react";

import { isApiError } from "@/lib/api/errors";
import { useMe, type Me } from "@/lib/queries";

import { ErrorView, Loading } from "./ui";

/** The login URL that comes back here afterwards. */
export function loginHref(next?: string): string {
  return next && next !== "/" ? `/login?next=${encodeURIComponent(next)}` : "/login";
}

export { safeNext } from "@/lib/safe-next";

/** Renders children with the logged-in user; sends everyone else to the login page. */
export function RequireAuth({ children }: { children: (me: Me) => ReactNode }) {
  const me = useMe();
  const router = useRouter();
  const pathname = usePathname();
  const unauthenticated = isApiError(me.error) && me.error.status === 401;
  useEffect(() => {
    if (unauthenticated) {
      const search = typeof window !== "undefined" ? window.location.search : "";
      router.replace(loginHref(pathname + search));
    }
  }, [unauthenticated, pathname, router]);
  if (me.data) return <>{children(me.data)}</>;
  if (me.error && !unauthenticated) return <ErrorView error={me.error} onRetry={() => void me.refetch()} />;
  return <Loading />;
}
