#!/usr/bin/env bash
# Sourced by the fixture scripts that run a pinned Python oracle: `ensure_venv NAME REQUIREMENTS`
# creates ${DRIFTWATCH_CACHE_DIR:-$HOME/.cache/driftwatch}/venv-NAME on first use (outside git),
# installs the pinned requirements from wheels only, and reuses it while the requirements file is
# unchanged (a stamp holds its SHA-256). It sets VENV_PYTHON. PYTHON names the interpreter that
# creates it (default python3). One thread everywhere: reproducible sums, and polite on 2 cores.
ensure_venv() {
  local name="$1" requirements="$2"
  local cache="${DRIFTWATCH_CACHE_DIR:-$HOME/.cache/driftwatch}"
  local venv="$cache/venv-$name"
  local stamp="$venv/.requirements.sha256"
  local want
  want="$(sha256sum "$requirements" | cut -d' ' -f1)"
  if [[ ! -x "$venv/bin/python" || "$(cat "$stamp" 2>/dev/null)" != "$want" ]]; then
    echo "venv-$name: creating $venv" >&2
    rm -rf "$venv"
    mkdir -p "$cache"
    "${PYTHON:-python3}" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
      --only-binary=:all: -r "$requirements"
    echo "$want" >"$stamp"
  else
    echo "venv-$name: reusing $venv" >&2
  fi
  export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 PYTHONHASHSEED=0
  VENV_PYTHON="$venv/bin/python"
}
