import type { Category } from "@/lib/bill";

// Inline stroke icons (no emoji: not every system has a colour emoji font).
const PATHS: Record<Category, string> = {
  food: "M7 3v8m-2.5-8v4.5a2.5 2.5 0 005 0V3M7 11v10M17 21V3c-2 0-3.5 2.5-3.5 6s1.5 4 3.5 4",
  transport: "M5 17h14M5 17v2.5M19 17v2.5M5 17l1.6-6.4A2 2 0 018.5 9h7a2 2 0 011.9 1.6L19 17M8 13.5h.01M16 13.5h.01",
  lodging: "M3 19V6m0 8h18v5m0-5v-2a3 3 0 00-3-3h-7v5M7.5 12.5a1.5 1.5 0 100-3 1.5 1.5 0 000 3z",
  groceries: "M3 4h2l2.2 10.2a1 1 0 001 .8h8.7a1 1 0 001-.8L20 8H6M9.5 19.5h.01M16.5 19.5h.01",
  entertainment: "M4 6h16v12H4zM8 6v12M16 6v12M4 10h4M4 14h4M16 10h4M16 14h4",
  utilities: "M13 2L4.5 13.5H11L10 22l8.5-11.5H12z",
  shopping: "M5.5 8h13l-1 12.5h-11zM9 8V6a3 3 0 016 0v2",
  other: "M6 3h12v18l-3-2-3 2-3-2-3 2zM9 8h6M9 12h6M9 16h3",
};

const TONES: Record<Category, string> = {
  food: "bg-orange-100 text-orange-800",
  transport: "bg-sky-100 text-sky-800",
  lodging: "bg-violet-100 text-violet-800",
  groceries: "bg-lime-100 text-lime-800",
  entertainment: "bg-pink-100 text-pink-800",
  utilities: "bg-yellow-100 text-yellow-800",
  shopping: "bg-fuchsia-100 text-fuchsia-800",
  other: "bg-slate-100 text-slate-700",
};

export function CategoryIcon({ category }: { category: Category }) {
  return (
    <span aria-hidden className={`grid h-10 w-10 shrink-0 place-items-center rounded-full ${TONES[category] ?? TONES.other}`}>
      <svg viewBox="0 0 24 24" className="h-5 w-5" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round">
        <path d={PATHS[category] ?? PATHS.other} />
      </svg>
    </span>
  );
}
