#!/usr/bin/env bash
# Set up a fresh machine and run Haven. The README's two commands:
#   bash scripts/setup.sh serve   # install, validate, build and serve the site locally
#   bash scripts/setup.sh test    # install everything the tests need and run every test
# Also: build (build the site into site/ without serving), install (install what the tests
# need and stop, for CI steps that run commands one by one).
set -euo pipefail
cd "$(dirname "$0")/.."
task="${1:-serve}"
shift || true

# Debian packages: fonts for every script the guide supports (pamphlets embed them),
# fontconfig (fc-match: the build checks the fonts before it starts), Pango for WeasyPrint,
# and for tests Chromium, poppler's pdftotext/pdffonts, zbarimg (QR codes), and Java and npm for the Nu Html
# Checker (tests/site/test_markup.py) unless the machine already has them (any Java 11+
# runs it; Node.js packages often bring their own npm).
SITE_PACKAGES=(fonts-noto-core fonts-noto-cjk fonts-dejavu-core fontconfig libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
TEST_PACKAGES=(chromium poppler-utils zbar-tools)
command -v java >/dev/null || TEST_PACKAGES+=(default-jre-headless)
command -v npm >/dev/null || TEST_PACKAGES+=(npm)
# The Nu Html Checker, from npm into the git-ignored .cache/node (pinned: a new release can
# report new errors). --ignore-scripts: its install script would download a Java runtime
# from GitHub when it finds none; Debian's is installed above instead.
VNU_VERSION=26.9.27

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null; then
    echo "setup: please install these packages: ${missing[*]}" >&2; return 1
  fi
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

python_env() {
  local extras="$1" stamp=".venv/.installed-$1"
  [ -x .venv/bin/python ] || python3 -m venv .venv
  # Reinstall only when the dependencies change.
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e ".$extras"
    touch "$stamp"
  fi
}

node_tools() {
  local package=.cache/node/node_modules/vnu-jar/package.json
  grep -qs "\"version\": \"$VNU_VERSION\"" "$package" && return 0
  echo "setup: installing the Nu Html Checker (vnu-jar $VNU_VERSION)"
  npm install --no-save --no-audit --no-fund --ignore-scripts --loglevel=error --prefix .cache/node \
    "vnu-jar@$VNU_VERSION" >/dev/null
}

export NO_MKDOCS_2_WARNING=1
case "$task" in
  serve|build)
    apt_install "${SITE_PACKAGES[@]}"
    python_env "[site]"
    if [ "$task" = serve ]; then
      # --dirty: after an edit, only the pages it changes are rebuilt (seconds, not minutes).
      exec .venv/bin/mkdocs serve --dirty --dev-addr 127.0.0.1:8000 "$@"
    fi
    exec .venv/bin/haven build --strict "$@"
    ;;
  install)
    apt_install "${SITE_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
    python_env "[test]"
    node_tools
    ;;
  test)
    apt_install "${SITE_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
    python_env "[test]"
    node_tools
    # In CI a missing browser is a failure, never a skip.
    [ "${CI:-}" = "true" ] && export HAVEN_REQUIRE_BROWSER=1
    .venv/bin/ruff check scripts tests
    exec .venv/bin/python -m pytest "$@"
    ;;
  *)
    echo "usage: bash scripts/setup.sh serve|build|test|install [args]" >&2; exit 2 ;;
esac
