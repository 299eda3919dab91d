#!/usr/bin/env bash
# Production build of the frontend for the API at $API_ORIGIN, into ${NEXT_DIST_DIR:-.next};
# skipped when nothing it depends on changed since the last build there.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${API_ORIGIN:?API_ORIGIN is required (the API the /api rewrites point at)}"
dist="${NEXT_DIST_DIR:-.next}"
export NEXT_OUTPUT="${NEXT_OUTPUT:-server}" # `next start`; "standalone" for container images
stamp="$(node scripts/build-stamp.mjs)"
if [ -s "$dist/BUILD_ID" ] && [ "$(cat "$dist/.paytungan-stamp" 2>/dev/null)" = "$stamp" ]; then
  echo "frontend: build in $dist is up to date (API_ORIGIN=$API_ORIGIN)"
  exit 0
fi
echo "frontend: next build into $dist (API_ORIGIN=$API_ORIGIN)"
# Types are checked by `make test` (tsc --noEmit); next.config.ts says why this skips it here.
PAYTUNGAN_SKIP_BUILD_TYPECHECK=1 NEXT_TELEMETRY_DISABLED=1 node_modules/.bin/next build
echo "$stamp" >"$dist/.paytungan-stamp"
