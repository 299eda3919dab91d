// Prints the failed and flaky specs of a Playwright JSON report, one line each with the first line
// of the error, so the end of a long CI log says which spec broke and why.
import { readFileSync } from "node:fs";

const report = JSON.parse(readFileSync(process.argv[2], "utf8"));
const lines = [];

function visit(suite, titles) {
  const here = suite.title ? [...titles, suite.title] : titles;
  for (const spec of suite.specs ?? []) {
    for (const test of spec.tests ?? []) {
      if (test.status !== "unexpected" && test.status !== "flaky") continue;
      const failed = (test.results ?? []).find((r) => r.status !== "passed" && r.status !== "skipped");
      const message = (failed?.error?.message ?? "").replace(/\x1b\[[0-9;]*m/g, "").split("\n")[0];
      const label = test.status === "flaky" ? "FLAKY (passed on retry)" : "FAILED";
      lines.push(`  ${label}: ${[...here, spec.title].join(" › ")}:${spec.line}: ${message}`);
    }
  }
  for (const child of suite.suites ?? []) visit(child, here);
}

for (const suite of report.suites ?? []) visit(suite, []);
if (lines.length) {
  console.log("e2e: specs that failed or needed a retry:");
  for (const line of lines) console.log(line);
} else {
  console.log("e2e: no spec failed or needed a retry");
}
