import type { BillDraft } from "./bill";

/**
 * A new bill being typed, kept in this browser's localStorage per group, so Back, a refresh or
 * a closed tab loses nothing. Only on this device (nothing is sent anywhere before Save); one
 * draft per group; a stored draft that doesn't look like one (older app version, hand-edited)
 * is dropped rather than trusted.
 */
const VERSION = 1;

export function draftKey(groupId: number): string {
  return `paytungan:bill-draft:${groupId}`;
}

interface Stored {
  v: number;
  savedAt: number;
  draft: BillDraft;
}

function looksLikeDraft(d: unknown): d is BillDraft {
  if (!d || typeof d !== "object") return false;
  const x = d as Record<string, unknown>;
  return (
    typeof x.title === "string" &&
    typeof x.mode === "string" &&
    typeof x.total === "string" &&
    Array.isArray(x.items) &&
    Array.isArray(x.memberIds) &&
    typeof x.charges === "object" &&
    x.charges !== null &&
    typeof x.payerAmounts === "object" &&
    typeof x.memberValues === "object"
  );
}

export function loadDraft(storage: Storage | null, groupId: number): { draft: BillDraft; savedAt: number } | null {
  if (!storage) return null;
  try {
    const raw = storage.getItem(draftKey(groupId));
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<Stored>;
    if (parsed.v !== VERSION || !looksLikeDraft(parsed.draft)) {
      storage.removeItem(draftKey(groupId));
      return null;
    }
    return { draft: parsed.draft, savedAt: Number(parsed.savedAt) || 0 };
  } catch {
    return null;
  }
}

export function saveDraft(storage: Storage | null, groupId: number, draft: BillDraft, now = Date.now()): void {
  if (!storage) return;
  try {
    storage.setItem(draftKey(groupId), JSON.stringify({ v: VERSION, savedAt: now, draft } satisfies Stored));
  } catch {
    /* storage full or disabled (private mode): the form still works, only without a draft */
  }
}

export function clearDraft(storage: Storage | null, groupId: number): void {
  try {
    memoryKeys.delete(groupId);
    storage?.removeItem(draftKey(groupId));
    storage?.removeItem(saveKeyKey(groupId));
  } catch {
    /* as above */
  }
}

function saveKeyKey(groupId: number): string {
  return `paytungan:bill-save:${groupId}`;
}

/** Without storage (private mode): the same promise for as long as the page lives. */
const memoryKeys = new Map<number, { body: string; key: string }>();

/**
 * The Idempotency-Key for saving this body: the one its last save used when the body is the same
 * (that save may have reached the server with its answer lost, even before a reload), else a
 * fresh one from `fresh`. Kept next to the draft and removed with it.
 */
export function idempotencyKeyFor(storage: Storage | null, groupId: number, body: string, fresh: () => string): string {
  let last = storage ? null : (memoryKeys.get(groupId) ?? null);
  try {
    const raw = storage?.getItem(saveKeyKey(groupId));
    if (raw) last = JSON.parse(raw) as { body: string; key: string };
  } catch {
    last = memoryKeys.get(groupId) ?? null;
  }
  const attempt = last && last.body === body && typeof last.key === "string" ? last : { body, key: fresh() };
  memoryKeys.set(groupId, attempt);
  try {
    storage?.setItem(saveKeyKey(groupId), JSON.stringify(attempt));
  } catch {
    /* as above: the in-memory copy still serves this page */
  }
  return attempt.key;
}

/** Whether a draft differs from the empty form it started as (only then is it worth keeping). */
export function isDirty(draft: BillDraft, pristine: BillDraft): boolean {
  // Item keys are React keys, fresh for every empty form: not content.
  const content = (d: BillDraft) => JSON.stringify({ ...d, items: d.items.map((item) => ({ ...item, key: "" })) });
  return content(draft) !== content(pristine);
}

export function browserStorage(): Storage | null {
  try {
    return typeof window === "undefined" ? null : window.localStorage;
  } catch {
    return null;
  }
}
