#!/usr/bin/env bash
# `npm run demo`: README's one command for the demo. Installs what is missing, brings the local
# Kafka + Redis stack up, builds, and runs `driftwatch demo` (arguments pass through, e.g.
# `npm run demo -- --json`). The stack stays up afterwards; `npm run stack:down` stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
npm run --silent stack:up
npx tsc -b
exec node --enable-source-maps packages/cli/bin/driftwatch.js demo "$@"
