import type { ReactNode } from "react";
import { TextField } from "@/components/ui";

export function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="mx-auto w-full max-w-md">
      <div className="rounded-2xl bg-white p-5 shadow-sm ring-1 ring-slate-200 sm:p-8">
        <h1 className="mb-5 text-2xl font-bold tracking-tight text-slate-900">{title}</h1>
        {children}
      </div>
    </div>
  );
}

/** The email input of the sign-up, log-in and password-reset forms: one set of autofill hints. */
export function EmailField({
  label,
  value,
  onValueChange,
  errors,
}: {
  label: string;
  value: string;
  onValueChange: (value: string) => void;
  errors?: readonly string[];
}) {
  return (
    <TextField
      label={label}
      type="email"
      name="email"
      autoComplete="email"
      inputMode="email"
      required
      value={value}
      onChange={(e) => onValueChange(e.target.value)}
      errors={errors}
    />
  );
}
