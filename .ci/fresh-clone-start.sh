#!/usr/bin/env bash
# The README's run command on a fresh clone, exactly as written (`npm start`, here with a short storm): it must install
# what it needs itself (through Node 24) and end with every accepted record stored or still in the consumer's lag.
# Reuses the stack the CI run started (same state directory), so it adds the install and one short storm.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
clone="$(mktemp -d)/tormenta"
git clone --quiet "$repo" "$clone"
cd "$clone"
export TORMENTA_STATE="$repo/.tormenta"
started=$SECONDS
npm start -- --profile short --duration 30 --budget 40 | tail -n 25
echo "fresh clone: npm start took $((SECONDS - started)) s"
summary="$(ls -t "$TORMENTA_STATE"/pipeline/run-*.json | head -n 1)"
node -e '
  const { summary } = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
  const stored = summary.rowsStored ?? 0, lag = summary.lagLeft ?? 0;
  if (summary.accepted <= 0) throw new Error(`fresh clone: nothing accepted (${process.argv[1]})`);
  if (stored + lag < summary.accepted) throw new Error(`fresh clone: ${summary.accepted} accepted, ${stored} stored, lag ${lag}`);
  console.log(`fresh clone: ${summary.accepted} accepted, ${stored} stored, lag ${lag}`);
' "$summary"
rm -rf "$(dirname "$clone")"
