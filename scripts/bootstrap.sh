#!/usr/bin/env bash
# `npm run bootstrap`: installs what is missing, brings the local stack up, builds, and trains and
# publishes the bootstrap model (version 1 of `sea`; arguments pass through, e.g.
# `npm run bootstrap -- --dataset elec2 --file ../shared/datasets/elec2.csv`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
npm run --silent stack:up
npx tsc -b
exec node --enable-source-maps packages/cli/bin/driftwatch.js bootstrap "$@"
