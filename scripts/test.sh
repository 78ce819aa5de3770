#!/usr/bin/env bash
# `npm test`: README's one command for every test. Installs what is missing, brings the local
# Kafka + Redis + schema registry stack up (and leaves it up for the next run; `npm run
# stack:down` stops it), type-checks, lints, and runs all tests with node:test. Extra arguments
# filter test files by path, e.g. `npm test -- drift`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
# The Avro tests run against the stack's real schema registry, started here once for the whole
# run. DRIFTWATCH_SCHEMA_REGISTRY=0 npm test runs without it: those tests then fall back to the
# in-test registry or are skipped.
export DRIFTWATCH_SCHEMA_REGISTRY="${DRIFTWATCH_SCHEMA_REGISTRY:-1}"
npm run --silent stack:up
echo "type-checking (tsc -b) …"
npx tsc -b
echo "linting (eslint, prettier) …"
npm run --silent lint
node scripts/run-tests.mjs "$@"
