// The storm emulator: sends N records every T to the producer's POST /v1/records (steady, or a phased profile),
// sampling data/transacciones.json; prints progress each second and, at the end, offered / accepted / rejected / p50 / p99.
// Usage: node services/producer/src/storm/cli.ts --url http://127.0.0.1:3000 [--count 100 --every-ms 100 --duration-s 30]
//        [--profile spike|pandemic|dos --base 100 --phase-s 20] [--file data/transacciones.json] [--token T]
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { namedProfile, percentile, steady } from './profiles.ts';
import type { Phase } from './profiles.ts';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:3000' },
    count: { type: 'string', default: '10' },
    'every-ms': { type: 'string', default: '1000' },
    'duration-s': { type: 'string', default: '10' },
    profile: { type: 'string' },
    base: { type: 'string', default: '100' },
    'phase-s': { type: 'string', default: '20' },
    file: { type: 'string', default: 'data/transacciones.json' },
    token: { type: 'string' },
  },
});

const positive = (name: string, text: string | undefined): number => {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number, got "${text}"`);
  return value;
};

const phases: Phase[] = values.profile
  ? namedProfile(values.profile, positive('base', values.base), positive('phase-s', values['phase-s']) * 1000)
  : steady(
      positive('count', values.count),
      positive('every-ms', values['every-ms']),
      positive('duration-s', values['duration-s']) * 1000,
    );
const pool = JSON.parse(await readFile(values.file, 'utf8')) as unknown[];
const stats = { offered: 0, accepted: 0, rejected: 0, failed: 0, byStatus: new Map<number, number>(), latencies: [] as number[] };
const headers: Record<string, string> = { 'content-type': 'application/json' };
if (values.token) headers.authorization = `Bearer ${values.token}`;

async function send(count: number): Promise<void> {
  const batch = Array.from({ length: count }, () => pool[Math.floor(Math.random() * pool.length)]);
  const began = performance.now();
  stats.offered += count;
  try {
    const response = await fetch(`${values.url}/v1/records`, { method: 'POST', headers, body: JSON.stringify(batch) });
    await response.arrayBuffer();
    stats.latencies.push(performance.now() - began);
    stats.byStatus.set(response.status, (stats.byStatus.get(response.status) ?? 0) + 1);
    if (response.ok) stats.accepted += count;
    else stats.rejected += count;
  } catch {
    stats.failed += count;
  }
}

const began = Date.now();
const pending = new Set<Promise<void>>();
const progress = setInterval(() => {
  process.stderr.write(
    `t=${((Date.now() - began) / 1000).toFixed(0)}s offered=${stats.offered} accepted=${stats.accepted} rejected=${stats.rejected} failed=${stats.failed} in-flight=${pending.size}\n`,
  );
}, 1_000);
for (const phase of phases) {
  process.stderr.write(
    `phase ${phase.name}: ${phase.recordsPerTick} records every ${phase.tickMs} ms for ${phase.durationMs / 1000}s\n`,
  );
  const end = Date.now() + phase.durationMs;
  for (let next = Date.now(); next < end; next += phase.tickMs) {
    const request = send(phase.recordsPerTick).finally(() => pending.delete(request));
    pending.add(request);
    await sleep(Math.max(0, next + phase.tickMs - Date.now()));
  }
}
await Promise.all(pending);
clearInterval(progress);
const sorted = [...stats.latencies].sort((a, b) => a - b);
const summary = {
  offered: stats.offered,
  accepted: stats.accepted,
  rejected: stats.rejected,
  failed: stats.failed,
  statuses: Object.fromEntries(stats.byStatus),
  latencyMs: { p50: Number(percentile(sorted, 50).toFixed(1)), p99: Number(percentile(sorted, 99).toFixed(1)) },
  seconds: (Date.now() - began) / 1000,
};
process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
