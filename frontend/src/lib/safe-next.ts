/**
 * Where to go after logging in, from a `?next=` the visitor may have been handed by anyone.
 *
 * Only a path on this origin is allowed. A prefix check is not enough: browsers drop tabs and
 * newlines inside URLs and read "\" as "/", so "/\t/example.com" or "/\\example.com" become
 * "//example.com", another origin. So the value is resolved the way a browser would, against a
 * stand-in origin, and kept only if it stays there; what is returned is the browser's own
 * normalised path (never a string that a later parse could read differently).
 */
const BASE = "https://paytungan.invalid";

export function safeNext(next: string | null | undefined): string {
  if (!next) return "/";
  // Control characters and whitespace have no business in a path we produced ourselves.
  if (/[\u0000-\u0020\u007f-\u009f\u2028\u2029]/.test(next)) return "/";
  if (!next.startsWith("/") || next.startsWith("//") || next.includes("\\")) return "/";
  // ...nor encoded ones (or an encoded "\"), in case something on the way decodes twice.
  if (/%(?:[01][0-9a-f]|7f|5c)/i.test(next)) return "/";
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return "/";
  }
  if (url.origin !== BASE) return "/";
  const path = url.pathname + url.search + url.hash;
  // A pathname such as "//x" (from "/.//x") would be read as another host by router.replace.
  if (!path.startsWith("/") || path.startsWith("//")) return "/";
  return path;
}
