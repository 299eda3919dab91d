import type { MetadataRoute } from "next";

/** Installable as an app (PWA): /manifest.webmanifest, linked from every page by Next. */
export default function manifest(): MetadataRoute.Manifest {
  return {
    name: "Paytungan",
    short_name: "Paytungan",
    description: "Bagi tagihan bareng teman: struk per item, pajak dan servis, lunas dengan transfer paling sedikit.",
    start_url: "/",
    scope: "/",
    display: "standalone",
    background_color: "#f8fafc",
    theme_color: "#0f766e",
    lang: "id",
    icons: [
      { src: "/icons/icon-192.png", sizes: "192x192", type: "image/png", purpose: "any" },
      { src: "/icons/icon-512.png", sizes: "512x512", type: "image/png", purpose: "any" },
      { src: "/icons/icon-512-maskable.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
    ],
  };
}
