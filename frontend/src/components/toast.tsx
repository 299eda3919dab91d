"use client";

import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from "react";

type Tone = "success" | "error" | "info";
export interface ToastAction {
  label: string;
  run: () => void;
}
export interface ToastOptions {
  /** A button in the toast (e.g. "Undo"); pressing it runs `run` and closes the toast. */
  action?: ToastAction;
  /** How long the toast stays, in ms (default 4 s, errors 8 s). */
  ms?: number;
}
interface Toast {
  id: number;
  message: string;
  tone: Tone;
  action?: ToastAction;
}

type Show = (message: string, tone?: Tone, options?: ToastOptions) => void;
const ToastContext = createContext<Show | null>(null);

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const seq = useRef(0);
  const dismiss = useCallback((id: number) => setToasts((list) => list.filter((x) => x.id !== id)), []);
  const show = useCallback<Show>(
    (message, tone = "success", options = {}) => {
      seq.current += 1;
      const id = seq.current;
      setToasts((list) => [...list.slice(-2), { id, message, tone, action: options.action }]);
      setTimeout(() => dismiss(id), options.ms ?? (tone === "error" ? 8000 : 4000));
    },
    [dismiss],
  );
  const value = useMemo(() => show, [show]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <div
        aria-live="polite"
        role="status"
        className="pointer-events-none fixed inset-x-0 bottom-4 z-50 flex flex-col items-center gap-2 px-4"
      >
        {toasts.map((toast) => (
          <div
            key={toast.id}
            className={
              "pointer-events-auto flex max-w-md items-center gap-3 rounded-lg px-4 py-3 text-sm font-medium shadow-lg " +
              (toast.tone === "error" ? "bg-red-800 text-white" : toast.tone === "info" ? "bg-slate-800 text-white" : "bg-emerald-800 text-white")
            }
          >
            <span>{toast.message}</span>
            {toast.action ? (
              <button
                type="button"
                className="shrink-0 rounded-md bg-white/15 px-2 py-1 font-semibold underline-offset-2 hover:bg-white/25 focus-visible:outline focus-visible:outline-2 focus-visible:outline-white"
                onClick={() => {
                  dismiss(toast.id);
                  toast.action!.run();
                }}
              >
                {toast.action.label}
              </button>
            ) : null}
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

export function useToast() {
  const ctx = useContext(ToastContext);
  if (!ctx) throw new Error("useToast outside ToastProvider");
  return ctx;
}
