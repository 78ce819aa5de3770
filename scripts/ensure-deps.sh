#!/usr/bin/env bash
# Installs the npm dependencies when node_modules is missing or older than the lockfile, so
# README's commands work on a fresh clone with nothing done first.
set -euo pipefail
cd "$(dirname "$0")/.."

node -e '
  const [major, minor] = process.versions.node.split(".").map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    console.error(`driftwatch needs Node.js 20.19 or newer; this is ${process.version}.`);
    process.exit(1);
  }'

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "installing npm dependencies (npm ci) …"
  # onnxruntime-node's install script would fetch the CUDA provider (hundreds of MB) on linux/x64;
  # the CPU runtime ships in the package. An environment variable, as `.npmrc` can only hold npm's
  # own settings (anything else makes every npm command warn).
  ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund --loglevel=error
fi
