#!/usr/bin/env bash
# Runs elec2_ceiling.py (see its docstring) with the pinned scikit-learn of the drift goldens, in
# their virtualenv outside git (scripts/python-venv.sh), and writes its table to results.txt.
#
#   bash bench/loop/elec2-ceiling/run.sh [path/to/elec2.csv]   # default ../shared/datasets/elec2.csv
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/../../.."
csv="${1:-$root/../shared/datasets/elec2.csv}"
if [[ ! -f "$csv" ]]; then
  echo "elec2-ceiling: $csv not found; pass the path to ELEC2's CSV" >&2
  exit 2
fi
# shellcheck source=../../../scripts/python-venv.sh
source "$root/scripts/python-venv.sh"
ensure_venv drift-sklearn "$root/test/fixtures/drift/sklearn/requirements.txt"
"$VENV_PYTHON" "$here/elec2_ceiling.py" "$csv" | tee "$here/results.txt"
