#!/usr/bin/env bash
# Set up a fresh machine and run Haven. The README's two commands:
#   bash scripts/setup.sh serve   # install, validate, build and serve the site locally
#   bash scripts/setup.sh test    # install everything the tests need and run every test
# Also: build (build the site into site/ without serving), install (install what the tests
# need and stop, for CI steps that run commands one by one).
#
# Each step prints one line, `setup: <step> … <result> (<seconds> s)`. What the installers
# print (apt-get's and pip's notices, including pip's warnings about this machine's own
# configuration) goes to .cache/setup/<step>.log, shown only when the step fails, with what
# to do next.
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
# How long apt-get waits for another package manager (unattended upgrades, another set-up)
# to let go of its lock before giving up.
APT_LOCK_WAIT=600
LOGS=.cache/setup
exec 4>&1  # the terminal, for a word during a step (whose output goes to its log)

# step NAME "what it does" ADVICE COMMAND...: one line for the step, its output in the log.
step() {
  local name="$1" label="$2" advice="$3" start=$SECONDS result status=0
  shift 3
  mkdir -p "$LOGS"
  : >"$LOGS/$name.log"
  printf 'setup: %s … ' "$label"
  result=$("$@" 2>>"$LOGS/$name.log" 3>&1 >>"$LOGS/$name.log") || status=$?
  if [ "$status" -ne 0 ]; then
    printf 'failed (%d s)\n' $((SECONDS - start))
    # In CI the log file is gone with the machine: all of it goes into the job's log.
    local shown=15; [ "${CI:-}" = "true" ] && shown=+1
    {
      echo "setup: from $LOGS/$name.log:"
      tail -n "$shown" "$LOGS/$name.log" | sed 's/^/    /'
      echo "setup: what to do: $advice"
    } >&2
    exit "$status"
  fi
  printf '%s (%d s)\n' "${result:-done}" $((SECONDS - start))
}

# Commands run by step: their output goes to the log; what they write to descriptor 3 is
# the step's result on its line.
apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  if [ ${#missing[@]} -eq 0 ]; then echo "already installed" >&3; return 0; fi
  if ! command -v apt-get >/dev/null; then
    echo "this is not a Debian or Ubuntu system: install ${missing[*]} with its package manager"
    return 1
  fi
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  local wait=(-o "DPkg::Lock::Timeout=$APT_LOCK_WAIT")
  # (set -e does not reach inside a step: each command returns its failure itself.)
  apt_waiting $sudo apt-get "${wait[@]}" update -qq || return
  apt_waiting env DEBIAN_FRONTEND=noninteractive $sudo apt-get "${wait[@]}" install -y -qq \
    --no-install-recommends "${missing[@]}" || return
  echo "installed ${missing[*]}" >&3
}

# apt-get waits for another package manager's lock, saying so in its log: say it on the
# step's line too, once, rather than look stuck.
apt_waiting() {
  "$@" &
  local apt=$!
  while kill -0 "$apt" 2>/dev/null; do
    if [ -z "${said_waiting:-}" ] && grep -qs "Could not get lock" "$LOGS/system.log"; then
      printf 'waiting for another program that is installing packages (up to %d min) … ' \
        $((APT_LOCK_WAIT / 60)) >&4
      said_waiting=1
    fi
    sleep 1
  done
  wait "$apt"
}

apt_advice() {
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo "
  echo "if the log says \"Could not get lock\", another program is installing packages:" \
    "wait until it has finished (\`ps aux | grep -E 'apt|dpkg'\` shows it) and run this" \
    "command again. Otherwise run \`${sudo}apt-get update && ${sudo}apt-get install" \
    "--no-install-recommends $*\` to see the problem, fix it, and run this command again."
}

# The project's Python packages in .venv, installed again only when pyproject.toml changes
# (its content, not its date: a fresh clone of the same project reuses the environment).
python_env() {
  local extras="$1" want stamp
  want="$extras $(sha256sum pyproject.toml | cut -d' ' -f1)"
  for stamp in .venv/.installed-*; do
    # The test extras include everything the site needs.
    if [ -f "$stamp" ] && { [ "$(cat "$stamp")" = "$want" ] ||
        [ "$(cat "$stamp")" = "[test] ${want#* }" ]; }; then
      echo "already installed" >&3; return 0
    fi
  done
  [ -x .venv/bin/python ] || python3 -m venv .venv || return
  .venv/bin/python -m pip install --upgrade pip || return
  .venv/bin/python -m pip install -e ".$extras" || return
  rm -f .venv/.installed-*
  echo "$want" >".venv/.installed-$extras"
  echo "installed into .venv" >&3
}

PYTHON_ADVICE="read the log above. No python3 venv module: install python3-venv (apt-get install python3-venv). A package that cannot be downloaded: check the connection to PyPI (pip's index settings: pip config list), then run this command again; delete .venv to start afresh."

node_tools() {
  local package=.cache/node/node_modules/vnu-jar/package.json
  if grep -qs "\"version\": \"$VNU_VERSION\"" "$package"; then
    echo "already installed" >&3; return 0
  fi
  npm install --no-save --no-audit --no-fund --ignore-scripts --loglevel=error --prefix .cache/node \
    "vnu-jar@$VNU_VERSION" || return
  echo "installed vnu-jar $VNU_VERSION" >&3
}

NODE_ADVICE="check that npm can reach the npm registry (npm config get registry), then run this command again."

install_site() {
  step system "system packages (fonts, Pango)" "$(apt_advice "${SITE_PACKAGES[@]}")" \
    apt_install "${SITE_PACKAGES[@]}"
  step python "Python packages" "$PYTHON_ADVICE" python_env "[site]"
}

install_tests() {
  local all=("${SITE_PACKAGES[@]}" "${TEST_PACKAGES[@]}")
  step system "system packages (fonts, Pango, Chromium, Poppler)" "$(apt_advice "${all[@]}")" \
    apt_install "${all[@]}"
  step python "Python packages" "$PYTHON_ADVICE" python_env "[test]"
  step node "the Nu Html Checker (vnu-jar $VNU_VERSION)" "$NODE_ADVICE" node_tools
}

export NO_MKDOCS_2_WARNING=1
case "$task" in
  serve)
    install_site
    # Whether the site is built and served, or why not, is MkDocs' own output from here on.
    echo "setup: building and serving the site (the address is shown below; Ctrl-C stops)"
    # --dirty: after an edit, only the pages it changes are rebuilt (seconds, not minutes);
    # the haven plugin keeps every page right (scripts/haven/site/serve.py).
    exec .venv/bin/mkdocs serve --dirty --dev-addr 127.0.0.1:8000 "$@"
    ;;
  build)
    install_site
    exec .venv/bin/haven build --strict "$@"
    ;;
  install)
    install_tests
    ;;
  test)
    install_tests
    # In CI a missing browser is a failure, never a skip.
    [ "${CI:-}" = "true" ] && export HAVEN_REQUIRE_BROWSER=1
    .venv/bin/ruff check scripts tests
    exec .venv/bin/python -m pytest "$@"
    ;;
  *)
    echo "usage: bash scripts/setup.sh serve|build|test|install [args]" >&2; exit 2 ;;
esac
