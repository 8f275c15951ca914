#!/usr/bin/env bash
# Runs a command once node_modules matches the lockfile, so `npm start` and `npm test` work on a fresh clone as written.
# Run through scripts/node24.sh: npm then installs under Node 24 (no EBADENGINE warnings). A fresh clone gets `npm ci`;
# a checkout whose package-lock.json or package.json files changed since the last install gets `npm install`, which
# keeps the node_modules others may be using instead of deleting it first as `npm ci` would.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
installed="$root/node_modules/.package-lock.json"

stale() {
  [ -f "$installed" ] || return 0
  for file in "$root/package-lock.json" "$root/package.json" "$root"/services/*/package.json; do
    [ "$file" -nt "$installed" ] && return 0
  done
  return 1
}

if stale; then
  quiet=(--no-audit --no-fund --loglevel=error)
  if [ -d "$root/node_modules" ]; then
    echo "tormenta: package-lock.json changed since the last install; npm install (Node $(node -v))" >&2
    (cd "$root" && npm install "${quiet[@]}" >&2)
    touch "$installed"
  else
    echo "tormenta: installing dependencies from package-lock.json (npm ci, Node $(node -v), once per clone)" >&2
    (cd "$root" && npm ci "${quiet[@]}" >&2)
  fi
fi
exec "$@"
