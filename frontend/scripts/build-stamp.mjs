// Prints a hash of everything a production build depends on (sources, config, lock file, the
// API origin baked into the rewrites, NEXT_PUBLIC_* env). `make` rebuilds only when it changes.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const hash = createHash("sha256");
function add(path) {
  let st;
  try {
    st = statSync(path);
  } catch {
    return;
  }
  if (st.isDirectory()) {
    for (const name of readdirSync(path).sort()) add(join(path, name));
  } else if (!/\.test\.ts$/.test(path)) {
    hash.update(path).update("\0").update(readFileSync(path)).update("\0");
  }
}
for (const p of ["src", "public", "next.config.ts", "postcss.config.mjs", "tsconfig.json", "package-lock.json"]) add(p);
hash.update(`API_ORIGIN=${process.env.API_ORIGIN ?? ""}\0NEXT_OUTPUT=${process.env.NEXT_OUTPUT ?? ""}\0NODE=${process.version}\0`);
for (const [k, v] of Object.entries(process.env).sort()) if (k.startsWith("NEXT_PUBLIC_")) hash.update(`${k}=${v}\0`);
console.log(hash.digest("hex"));
