// The generated API types, one command for both jobs:
//   node scripts/api-types.mjs --write   regenerate src/lib/api/schema.d.ts from ../docs/openapi.json
//   node scripts/api-types.mjs           check it is what the generator would write (fails when stale)
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SOURCE = "../docs/openapi.json";
const TARGET = "src/lib/api/schema.d.ts";
// Fields with defaults stay optional in request bodies (`note`, `category`, ...).
const FLAGS = ["--default-non-nullable=false"];

function generate(out) {
  execFileSync("npx", ["--no-install", "openapi-typescript", SOURCE, ...FLAGS, "-o", out], {
    stdio: ["ignore", "ignore", "inherit"],
  });
}

if (process.argv.includes("--write")) {
  generate(TARGET);
  console.log(`wrote ${TARGET} from ${SOURCE}`);
} else {
  const dir = mkdtempSync(join(tmpdir(), "paytungan-types-"));
  const fresh = join(dir, "schema.d.ts");
  try {
    generate(fresh);
    if (readFileSync(TARGET, "utf8") !== readFileSync(fresh, "utf8")) {
      console.error(`${TARGET} is stale: run 'npm run gen:types' (in frontend/) and commit it.`);
      const diff = spawnSync("diff", ["-u", TARGET, fresh], { encoding: "utf8" });
      console.error((diff.stdout ?? "").split("\n").slice(0, 60).join("\n"));
      process.exitCode = 1;
    } else {
      console.log(`${TARGET} is up to date with ${SOURCE}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
