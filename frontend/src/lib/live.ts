/**
 * Live updates by polling (docs/decisions/0016): GET /api/groups/{gid}/changes with the last
 * ETag as If-None-Match. An unchanged group answers 304 with no body, so a visible tab polling
 * every few seconds costs the server two indexed queries and the network a few hundred bytes;
 * only when the version moves do the page's real reads refetch.
 */

export const POLL_MS = 4000;

export interface GroupChanges {
  version: number;
  pending_confirmations: number;
}

export interface ChangesState {
  etag: string | null;
  changes: GroupChanges | null;
}

/** One poll. A 304 keeps `previous`; any error throws (TanStack Query retries next interval). */
export async function pollChanges(gid: number, previous: ChangesState, fetcher: typeof fetch = globalThis.fetch): Promise<ChangesState> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (previous.etag && previous.changes) headers["If-None-Match"] = previous.etag;
  // no-store: the conditional request is ours; the browser's cache must not answer it.
  const res = await fetcher(`/api/groups/${gid}/changes`, { credentials: "same-origin", cache: "no-store", headers });
  if (res.status === 304) return previous;
  if (!res.ok) throw new Error(`changes: HTTP ${res.status}`);
  return { etag: res.headers.get("ETag"), changes: (await res.json()) as GroupChanges };
}

/** Did the group change between two polls (not on the first one)? */
export function moved(before: GroupChanges | null, after: GroupChanges | null): boolean {
  return before !== null && after !== null && (before.version !== after.version || before.pending_confirmations !== after.pending_confirmations);
}

const BADGE = /^\(\d+\) /;

/** "(2) Arisan · Paytungan" while two payments wait for the caller's confirmation. */
export function titleWithBadge(title: string, pending: number): string {
  const base = title.replace(BADGE, "");
  return pending > 0 ? `(${pending}) ${base}` : base;
}
