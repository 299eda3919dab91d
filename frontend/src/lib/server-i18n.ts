import "server-only";

import type { Metadata } from "next";
import { cookies, headers } from "next/headers";

import { LOCALE_COOKIE, resolveLocale, translate, type Locale, type MessageKey } from "./i18n";

export async function serverLocale(): Promise<Locale> {
  return resolveLocale((await cookies()).get(LOCALE_COOKIE)?.value, (await headers()).get("accept-language"));
}

/** generateMetadata for a page whose <title> is one message. */
export function titled(key: MessageKey) {
  return async function generateMetadata(): Promise<Metadata> {
    return { title: translate(await serverLocale(), key) };
  };
}
