"use client";

/**
 * TanStack Query hooks over the typed client: one place for query keys, mutations and
 * invalidation. A hook whose success leaves the screen (a deleted account or group, a left
 * group, an accepted invite) takes `then`: it runs after the cache work, in the hook's own
 * onSuccess, because the screen that called mutate() may already be unmounted by then.
 */

import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryClient,
} from "@tanstack/react-query";
import { useRef } from "react";

import { api, idempotencyKey, resetCsrfToken, unwrap, type Schemas } from "./api/client";
import { apiErrorFrom, isApiError } from "./api/errors";
import { moved, pollChanges, POLL_MS, type ChangesState, type GroupChanges } from "./live";
import type { Category } from "./bill";

export type Me = Schemas["MeOut"];
export type Group = Schemas["GroupOut"];
export type Member = Schemas["MemberOut"];
export type Bill = Schemas["BillOut"];
export type BillPreview = Schemas["BillPreviewOut"];
export type BillListItem = Schemas["BillListItemOut"];
export type Balances = Schemas["BalancesOut"];
export type Transfer = Schemas["TransferOut"];
export type Payment = Schemas["PaymentOut"];
export type MyPayment = Schemas["MyPaymentOut"];
export type Activity = Schemas["ActivityOut"];
export type Invite = Schemas["InviteOut"];
export type InvitePreview = Schemas["InvitePreviewOut"];
export type BillIn = Schemas["BillIn"];

export const qk = {
  me: ["me"] as const,
  groups: ["groups"] as const,
  group: (gid: number) => ["group", gid] as const,
  members: (gid: number) => ["group", gid, "members"] as const,
  bills: (gid: number, filters: BillFilters) => ["group", gid, "bills", filters] as const,
  billsAll: (gid: number) => ["group", gid, "bills"] as const,
  bill: (gid: number, bid: number) => ["group", gid, "bill", bid] as const,
  balances: (gid: number) => ["group", gid, "balances"] as const,
  settle: (gid: number) => ["group", gid, "settle"] as const,
  payments: (gid: number) => ["group", gid, "payments"] as const,
  activity: (gid: number) => ["group", gid, "activity"] as const,
  invites: (gid: number) => ["group", gid, "invites"] as const,
  invite: (code: string) => ["invite", code] as const,
  myPending: ["me", "payments", "pending"] as const,
  notifications: ["me", "notifications"] as const,
};

// --- me / auth ---------------------------------------------------------------------------------

export function useMe() {
  return useQuery({
    queryKey: qk.me,
    // GET /api/auth/session answers 200 when nobody is logged in (GET /api/me's 401 would be
    // logged by the browser as an error on every logged-out page); "nobody" stays a 401 here,
    // which is what the screens already handle.
    queryFn: async () => {
      const { user } = await unwrap(api.GET("/api/auth/session"));
      if (!user) throw apiErrorFrom(401, null);
      return user;
    },
    retry: (count, error) => !(isApiError(error) && error.status === 401) && count < 2,
    staleTime: 60_000,
  });
}

/** After login, logout, register or account deletion: fresh CSRF token, nothing cached. */
export function afterAuthChange(qc: QueryClient, me: Me | null): void {
  resetCsrfToken();
  qc.clear();
  if (me) qc.setQueryData(qk.me, me);
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["LoginIn"]) => unwrap(api.POST("/api/auth/login", { body })),
    onSuccess: (me) => afterAuthChange(qc, me),
  });
}

export function useRegister() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["RegisterIn"]) => unwrap(api.POST("/api/auth/register", { body })),
    onSuccess: (me) => afterAuthChange(qc, me),
  });
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/auth/logout")),
    onSettled: () => afterAuthChange(qc, null),
  });
}

export function useChangePassword() {
  return useMutation({
    mutationFn: (body: Schemas["PasswordChangeIn"]) => unwrap(api.POST("/api/auth/password", { body })),
  });
}

export function useRequestPasswordReset() {
  return useMutation({
    mutationFn: (body: Schemas["PasswordResetIn"]) => unwrap(api.POST("/api/auth/password-reset", { body })),
  });
}

export function useConfirmPasswordReset() {
  return useMutation({
    mutationFn: (body: Schemas["PasswordResetConfirmIn"]) => unwrap(api.POST("/api/auth/password-reset/confirm", { body })),
  });
}

/** Delete my account: logged out, nothing cached; then `then` (leave the page). */
export function useDeleteAccount(then: { onSuccess: () => void; onError?: (e: unknown) => void }) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.DELETE("/api/me")),
    onSuccess: () => {
      afterAuthChange(qc, null);
      then.onSuccess();
    },
    onError: (e) => then.onError?.(e),
  });
}

export function useUpdateMe() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["MePatchIn"]) => unwrap(api.PATCH("/api/me", { body })),
    onSuccess: (me) => qc.setQueryData(qk.me, me),
  });
}

// --- groups ----------------------------------------------------------------------------------

export function useGroups() {
  return useInfiniteQuery({
    queryKey: qk.groups,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET("/api/groups", { params: { query: { limit: 100, cursor: pageParam ?? undefined } } })),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });
}

export function useGroup(gid: number) {
  return useQuery({
    queryKey: qk.group(gid),
    queryFn: () => unwrap(api.GET("/api/groups/{gid}", { params: { path: { gid } } })),
  });
}

export function useCreateGroup() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ body, key }: { body: Schemas["GroupCreateIn"]; key: string }) =>
      unwrap(api.POST("/api/groups", { body, headers: { "Idempotency-Key": key } })),
    onSuccess: (group) => {
      qc.setQueryData(qk.group(group.id), group);
      void qc.invalidateQueries({ queryKey: qk.groups });
    },
  });
}

export function useUpdateGroup(gid: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["GroupPatchIn"]) =>
      unwrap(api.PATCH("/api/groups/{gid}", { params: { path: { gid } }, body })),
    onSuccess: (group) => {
      qc.setQueryData(qk.group(gid), group);
      void qc.invalidateQueries({ queryKey: qk.groups });
      void qc.invalidateQueries({ queryKey: qk.settle(gid) });
    },
  });
}

export function useLeaveGroup(gid: number, then: { onSuccess: () => void }) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/groups/{gid}/leave", { params: { path: { gid } } })),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: qk.groups });
      then.onSuccess();
    },
  });
}

export function useDeleteGroup(gid: number, then: { onSuccess: () => void }) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.DELETE("/api/groups/{gid}", { params: { path: { gid } } })),
    onSuccess: () => {
      qc.removeQueries({ queryKey: qk.group(gid) });
      void qc.invalidateQueries({ queryKey: qk.groups });
      then.onSuccess();
    },
  });
}

export function useMembers(gid: number) {
  return useQuery({
    queryKey: qk.members(gid),
    queryFn: () =>
      unwrap(api.GET("/api/groups/{gid}/members", { params: { path: { gid }, query: { include_inactive: true } } })),
    staleTime: 30_000,
  });
}

/** A member added or removed: the group's reads (members, balances) and the home page's list. */
function invalidateMembers(qc: QueryClient, gid: number): void {
  void qc.invalidateQueries({ queryKey: qk.group(gid) });
  void qc.invalidateQueries({ queryKey: qk.groups });
}

/** A guest by name, or a registered user by email or username. */
export function useAddMember(gid: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["MemberAddIn"]) => unwrap(api.POST("/api/groups/{gid}/members", { params: { path: { gid } }, body })),
    onSuccess: () => invalidateMembers(qc, gid),
  });
}

export function useRemoveMember(gid: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (mid: number) => unwrap(api.DELETE("/api/groups/{gid}/members/{mid}", { params: { path: { gid, mid } } })),
    onSuccess: () => invalidateMembers(qc, gid),
  });
}

/** Invalidate everything a money change touches in a group (and the home page's totals). */
export function invalidateMoney(qc: QueryClient, gid: number): void {
  void qc.invalidateQueries({ queryKey: qk.group(gid) });
  void qc.invalidateQueries({ queryKey: qk.groups });
  void qc.invalidateQueries({ queryKey: qk.myPending });
}

/**
 * Poll the group's version while the tab is visible (lib/live.ts); when another member changes
 * something, every read of the group refetches. Returns the latest answer (pending count).
 */
export function useGroupLiveUpdates(gid: number): GroupChanges | null {
  const qc = useQueryClient();
  const state = useRef<ChangesState>({ etag: null, changes: null });
  const live = useQuery({
    queryKey: ["live", gid],
    queryFn: async () => {
      const before = state.current.changes;
      state.current = await pollChanges(gid, state.current);
      if (moved(before, state.current.changes)) invalidateMoney(qc, gid);
      return state.current.changes;
    },
    refetchInterval: POLL_MS,
    refetchIntervalInBackground: false,
    refetchOnWindowFocus: true,
    staleTime: 0,
    retry: false,
  });
  return live.data ?? null;
}

// --- bills -----------------------------------------------------------------------------------

export interface BillFilters {
  q?: string;
  member_id?: number;
  category?: Category;
  from?: string;
  to?: string;
}

export const BILLS_PAGE = 50;

export function useBills(gid: number, filters: BillFilters) {
  return useInfiniteQuery({
    queryKey: qk.bills(gid, filters),
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/groups/{gid}/bills", {
          params: {
            path: { gid },
            query: {
              limit: BILLS_PAGE,
              cursor: pageParam ?? undefined,
              q: filters.q || undefined,
              member_id: filters.member_id,
              category: filters.category || undefined,
              from: filters.from || undefined,
              to: filters.to || undefined,
            },
          },
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
    placeholderData: keepPreviousData,
  });
}

export function useBill(gid: number, bid: number, enabled = true) {
  return useQuery({
    queryKey: qk.bill(gid, bid),
    queryFn: () => unwrap(api.GET("/api/groups/{gid}/bills/{bid}", { params: { path: { gid, bid } } })),
    enabled,
  });
}

export function fetchBill(gid: number, bid: number) {
  return unwrap(api.GET("/api/groups/{gid}/bills/{bid}", { params: { path: { gid, bid } } }));
}

export function previewBill(gid: number, body: BillIn, signal?: AbortSignal) {
  return unwrap(api.POST("/api/groups/{gid}/bills/preview", { params: { path: { gid } }, body, signal }));
}

/**
 * How a create with an Idempotency-Key outlasts a lost connection. Offline (the browser says so),
 * TanStack Query holds the mutation (`isPaused`) and sends it when the browser is back online. A
 * network error while "online" (the response was lost: the bill may well exist) is retried with
 * growing pauses, paused again if the browser goes offline meanwhile. Every attempt is the same
 * body with the same key, so the API creates the bill at most once and replays its answer.
 * Anything the API answered (4xx, 5xx) is not retried: asking again would not change it.
 */
export const RETRY_LOST_CONNECTION = {
  networkMode: "online",
  retry: (_count: number, error: unknown) => isApiError(error) && error.isNetwork,
  retryDelay: (attempt: number) => Math.min(1000 * 2 ** attempt, 15_000),
} as const;

export function useCreateBill(gid: number) {
  const qc = useQueryClient();
  return useMutation({
    ...RETRY_LOST_CONNECTION,
    mutationFn: ({ body, key }: { body: BillIn; key: string }) =>
      unwrap(api.POST("/api/groups/{gid}/bills", { params: { path: { gid } }, body, headers: { "Idempotency-Key": key } })),
    onSuccess: (bill) => {
      qc.setQueryData(qk.bill(gid, bill.id), bill);
      invalidateMoney(qc, gid);
    },
  });
}

export function useUpdateBill(gid: number, bid: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["BillUpdateIn"]) =>
      unwrap(api.PUT("/api/groups/{gid}/bills/{bid}", { params: { path: { gid, bid } }, body })),
    onSuccess: (bill) => {
      qc.setQueryData(qk.bill(gid, bid), bill);
      invalidateMoney(qc, gid);
    },
  });
}

export function useDeleteBill(gid: number, bid: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.DELETE("/api/groups/{gid}/bills/{bid}", { params: { path: { gid, bid } } })),
    onSuccess: () => invalidateMoney(qc, gid),
  });
}

export function useRestoreBill(gid: number, bid: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/groups/{gid}/bills/{bid}/restore", { params: { path: { gid, bid } } })),
    onSuccess: (bill) => {
      qc.setQueryData(qk.bill(gid, bid), bill);
      invalidateMoney(qc, gid);
    },
  });
}

// --- balances, settle, payments ---------------------------------------------------------------

export function useBalances(gid: number) {
  return useQuery({
    queryKey: qk.balances(gid),
    queryFn: () => unwrap(api.GET("/api/groups/{gid}/balances", { params: { path: { gid } } })),
  });
}

export function useSettle(gid: number) {
  return useQuery({
    queryKey: qk.settle(gid),
    queryFn: () => unwrap(api.GET("/api/groups/{gid}/settle", { params: { path: { gid } } })),
  });
}

export function usePayments(gid: number) {
  return useInfiniteQuery({
    queryKey: qk.payments(gid),
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/groups/{gid}/payments", {
          params: { path: { gid }, query: { limit: 50, cursor: pageParam ?? undefined } },
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });
}

export function useRecordPayment(gid: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ body, key }: { body: Schemas["PaymentIn"]; key?: string }) =>
      unwrap(
        api.POST("/api/groups/{gid}/payments", {
          params: { path: { gid } },
          body,
          headers: { "Idempotency-Key": key ?? idempotencyKey() },
        }),
      ),
    onSuccess: () => invalidateMoney(qc, gid),
  });
}

export function usePaymentAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ gid, pid, action }: { gid: number; pid: number; action: "confirm" | "reject" | "delete" }) => {
      const params = { params: { path: { gid, pid } } };
      if (action === "confirm") return unwrap(api.POST("/api/groups/{gid}/payments/{pid}/confirm", params));
      if (action === "reject") return unwrap(api.POST("/api/groups/{gid}/payments/{pid}/reject", params));
      await unwrap(api.DELETE("/api/groups/{gid}/payments/{pid}", params));
      return null;
    },
    onSuccess: (_data, { gid }) => invalidateMoney(qc, gid),
  });
}

export function useMyPendingPayments(enabled = true) {
  return useQuery({
    queryKey: qk.myPending,
    queryFn: () =>
      unwrap(api.GET("/api/me/payments", { params: { query: { direction: "incoming", status: "pending", limit: 50 } } })),
    enabled,
  });
}

// --- activity, invites -----------------------------------------------------------------------

export function useActivity(gid: number, enabled = true) {
  return useInfiniteQuery({
    queryKey: qk.activity(gid),
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/groups/{gid}/activity", {
          params: { path: { gid }, query: { limit: 50, cursor: pageParam ?? undefined } },
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
    enabled,
  });
}

export function useInvites(gid: number, enabled = true) {
  return useQuery({
    queryKey: qk.invites(gid),
    queryFn: () => unwrap(api.GET("/api/groups/{gid}/invites", { params: { path: { gid } } })),
    enabled,
  });
}

export function useCreateInvite(gid: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/groups/{gid}/invites", { params: { path: { gid } }, body: { expires_in_days: 30 } })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: qk.invites(gid) }),
  });
}

export function useRevokeInvite(gid: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (code: string) => unwrap(api.DELETE("/api/groups/{gid}/invites/{code}", { params: { path: { gid, code } } })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: qk.invites(gid) }),
  });
}

/** Join by an invite, optionally as the guest `claimId` already in the group; then `then`. */
export function useAcceptInvite(code: string, then: { onSuccess: (m: Schemas["MembershipOut"]) => void }) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (claimId: number | null) =>
      unwrap(api.POST("/api/invites/{code}/accept", { params: { path: { code } }, body: { claim_member_id: claimId } })),
    onSuccess: (m) => {
      void qc.invalidateQueries({ queryKey: qk.groups });
      then.onSuccess(m);
    },
  });
}

// --- email notifications -----------------------------------------------------------------------

export type NotificationPreferences = Schemas["PreferencesOut"];

export function useNotificationPreferences() {
  return useQuery({ queryKey: qk.notifications, queryFn: () => unwrap(api.GET("/api/me/notifications")) });
}

export function useUpdateNotificationPreferences() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["PreferencesPatchIn"]) => unwrap(api.PATCH("/api/me/notifications", { body })),
    onSuccess: (prefs) => qc.setQueryData(qk.notifications, prefs),
  });
}

/** What an email's unsubscribe link would stop (the signed token is the credential; no login). */
export function useUnsubscribeTarget(token: string) {
  return useQuery({
    queryKey: ["unsubscribe", token] as const,
    queryFn: () => unwrap(api.GET("/api/notifications/unsubscribe", { params: { query: { token } } })),
    enabled: token !== "",
    retry: false,
  });
}

export function useUnsubscribe(token: string) {
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/notifications/unsubscribe", { params: { query: { token } } })),
  });
}

// --- recurring bills, spending ------------------------------------------------------------------

export function useRecurring(gid: number) {
  return useQuery({
    queryKey: ["group", gid, "recurring"] as const,
    queryFn: () => unwrap(api.GET("/api/groups/{gid}/recurring", { params: { path: { gid } } })),
  });
}

export function useRecurringOne(gid: number, rid: number) {
  return useQuery({
    queryKey: ["group", gid, "recurring", rid] as const,
    queryFn: () => unwrap(api.GET("/api/groups/{gid}/recurring/{rid}", { params: { path: { gid, rid } } })),
  });
}

function invalidateRecurring(qc: QueryClient, gid: number): void {
  void qc.invalidateQueries({ queryKey: ["group", gid, "recurring"] });
  void qc.invalidateQueries({ queryKey: qk.activity(gid) });
}

export function useCreateRecurring(gid: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ body, key }: { body: Schemas["RecurringIn"]; key: string }) =>
      unwrap(api.POST("/api/groups/{gid}/recurring", { params: { path: { gid } }, body, headers: { "Idempotency-Key": key } })),
    onSuccess: () => invalidateRecurring(qc, gid),
  });
}

export function useUpdateRecurring(gid: number, rid: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["RecurringPatchIn"]) =>
      unwrap(api.PATCH("/api/groups/{gid}/recurring/{rid}", { params: { path: { gid, rid } }, body })),
    onSuccess: () => invalidateRecurring(qc, gid),
  });
}

/** Stop, resume or delete a template. */
export function useRecurringAction(gid: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ rid, action }: { rid: number; action: "stop" | "resume" | "delete" }) => {
      const params = { params: { path: { gid, rid } } };
      if (action === "delete") return unwrap(api.DELETE("/api/groups/{gid}/recurring/{rid}", params));
      if (action === "stop") return unwrap(api.POST("/api/groups/{gid}/recurring/{rid}/stop", params));
      return unwrap(api.POST("/api/groups/{gid}/recurring/{rid}/resume", params));
    },
    onSuccess: () => invalidateRecurring(qc, gid),
  });
}

export function useSpending(gid: number, query: { from?: string; to?: string; member_id?: number }) {
  return useQuery({
    queryKey: ["group", gid, "spending", query] as const,
    queryFn: () => unwrap(api.GET("/api/groups/{gid}/spending", { params: { path: { gid }, query } })),
    placeholderData: keepPreviousData,
  });
}
