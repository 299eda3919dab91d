// A local HTTP server standing in for Sentry's ingestion, for `make e2e` (scripts/e2e.sh starts
// it; e2e/sentry.spec.ts reads it). It records every POST to /api/<project>/envelope/ (gunzipped
// when the Node SDK compresses), answers like Sentry (200, CORS open: the browser posts
// cross-origin), and shows what it got:
//   GET    /__envelopes   [{path, project, receivedAt, header, items: [{header, payload}], raw}]
//   DELETE /__envelopes   forget everything
// Usage: node scripts/sentry-standin.mjs <port> [file]   (file: every envelope appended, one a line)
import { appendFileSync } from "node:fs";
import { createServer } from "node:http";
import { gunzipSync, inflateSync } from "node:zlib";

const port = Number(process.argv[2] ?? process.env.E2E_SENTRY_PORT ?? 18003);
const dump = process.argv[3];
let envelopes = [];

/** Sentry's envelope format: a header line, then (item header line, payload) pairs. */
function parseEnvelope(raw) {
  const buf = Buffer.from(raw, "utf8");
  let pos = buf.indexOf(10);
  const header = JSON.parse(buf.subarray(0, pos < 0 ? buf.length : pos).toString("utf8"));
  const items = [];
  while (pos >= 0 && pos + 1 < buf.length) {
    const start = pos + 1;
    const lineEnd = buf.indexOf(10, start);
    const itemHeaderText = buf.subarray(start, lineEnd < 0 ? buf.length : lineEnd).toString("utf8");
    if (!itemHeaderText.trim()) break;
    const itemHeader = JSON.parse(itemHeaderText);
    const from = lineEnd + 1;
    let to;
    if (typeof itemHeader.length === "number") {
      to = from + itemHeader.length;
      pos = to < buf.length && buf[to] === 10 ? to : to - 1;
    } else {
      const end = buf.indexOf(10, from);
      to = end < 0 ? buf.length : end;
      pos = end;
    }
    const text = buf.subarray(from, to).toString("utf8");
    let payload = text;
    try {
      payload = JSON.parse(text);
    } catch {
      /* attachments and the like stay text */
    }
    items.push({ header: itemHeader, payload });
  }
  return { header, items };
}

const cors = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "GET, POST, OPTIONS, DELETE",
  "Access-Control-Allow-Headers": "*",
  "Access-Control-Expose-Headers": "X-Sentry-Rate-Limits, Retry-After",
};

const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const url = new URL(req.url ?? "/", "http://stand-in");
    if (req.method === "OPTIONS") {
      res.writeHead(204, cors).end();
      return;
    }
    if (url.pathname === "/__envelopes") {
      if (req.method === "DELETE") envelopes = [];
      res.writeHead(200, { ...cors, "Content-Type": "application/json" }).end(JSON.stringify(envelopes));
      return;
    }
    const match = /^\/api\/([^/]+)\/envelope\/?$/.exec(url.pathname);
    if (req.method === "POST" && match) {
      let body = Buffer.concat(chunks);
      const encoding = req.headers["content-encoding"] ?? "";
      try {
        if (encoding === "gzip") body = gunzipSync(body);
        else if (encoding === "deflate") body = inflateSync(body);
        const raw = body.toString("utf8");
        const envelope = { path: url.pathname + url.search, project: match[1], receivedAt: Date.now(), ...parseEnvelope(raw), raw };
        envelopes.push(envelope);
        if (dump) appendFileSync(dump, JSON.stringify(envelope) + "\n");
      } catch (err) {
        console.error(`sentry stand-in: unreadable envelope (${err})`);
        res.writeHead(400, cors).end();
        return;
      }
      res.writeHead(200, { ...cors, "Content-Type": "application/json" }).end("{}");
      return;
    }
    if (url.pathname === "/health") {
      res.writeHead(200, cors).end("ok");
      return;
    }
    res.writeHead(404, cors).end();
  });
});
server.listen(port, "127.0.0.1", () => console.log(`sentry stand-in on http://127.0.0.1:${port}`));
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => server.close(() => process.exit(0)));
