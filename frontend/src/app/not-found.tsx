import Link from "next/link";

import { translate } from "@/lib/i18n";
import { serverLocale } from "@/lib/server-i18n";

export default async function NotFound() {
  const locale = await serverLocale();
  return (
    <div className="mx-auto max-w-md py-12 text-center">
      <h1 className="text-2xl font-bold">404</h1>
      <p className="mt-2 text-slate-700">{translate(locale, "error.notFound")}</p>
      <Link href="/" className="mt-6 inline-block font-medium text-brand-800 underline">
        {translate(locale, "nav.home")}
      </Link>
    </div>
  );
}
