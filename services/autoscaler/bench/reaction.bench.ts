// Reaction time of the real controller: from a 5× step in the ingest rate (as Prometheus scrapes it every 5 s) to the new
// replica count written on a real kube-apiserver. Anchor: the sampling delay the design cannot avoid, one scrape interval
// plus one loop period, measured against in the same run. Needs the Kubernetes test cluster and Prometheus's binary.
//   npm run bench:autoscaler-reaction
import { setTimeout as sleep } from 'node:timers/promises';
import { machine, recordEntries } from '../../../bench/report.ts';
import {
  CHART_PRODUCER,
  createWorkload,
  grantAutoscalerRole,
  replicasOf,
  startAutoscaler,
  writeAutoscalerConfig,
} from '../../../test/cluster/autoscaler-harness.ts';
import { up } from '../../../test/cluster/control-plane.ts';
import { createTestNamespace } from '../../../test/cluster/helpers.ts';
import { startGaugeExporter } from '../../../test/stack/gauge-exporter.ts';
import { privatePrometheus } from '../../../test/stack/private-prometheus.ts';
import { freePort } from '../../../test/stack/processes.ts';

const SCRAPE_SECONDS = 5;
const POLL_SECONDS = 5;
const PER_REPLICA = 1_000;
const STEPS = 3;
const GOAL_SECONDS = 20;

await up((line) => console.log(`cluster: ${line}`));
const ns = await createTestNamespace();
const exporter = await startGaugeExporter();
const setRate = (value: number): void => exporter.set('tormenta_bench_offered_rate', { target: CHART_PRODUCER }, value);
setRate(PER_REPLICA);
const prometheus = privatePrometheus(await freePort(), [exporter.target], SCRAPE_SECONDS);
await prometheus.start();
const kubeconfig = await grantAutoscalerRole(ns.name);
await createWorkload(ns.name, CHART_PRODUCER, 1);
await writeAutoscalerConfig(ns.name, {
  budget: { currency: 'USD', maxPerHour: 1000 },
  pollIntervalSeconds: POLL_SECONDS,
  prometheus: { url: prometheus.url },
  targets: [
    {
      name: CHART_PRODUCER,
      kind: 'Deployment',
      namespace: ns.name,
      costPerReplicaHour: 10,
      minReplicas: 1,
      maxReplicas: 50,
      metric: { query: `max(tormenta_bench_offered_rate{target="${CHART_PRODUCER}"})`, targetPerReplica: PER_REPLICA },
      behavior: { scaleDown: { stabilizationWindowSeconds: 0 } },
    },
  ],
});
const autoscaler = await startAutoscaler(ns.name, kubeconfig, 'bench');

async function waitFor(replicas: number, timeoutMs: number): Promise<number> {
  const began = Date.now();
  while (Date.now() - began < timeoutMs) {
    if ((await replicasOf(ns.name, CHART_PRODUCER)) === replicas) return (Date.now() - began) / 1000;
    await sleep(100);
  }
  throw new Error(`no ${replicas} replicas within ${timeoutMs / 1000}s`);
}

const reactions: number[] = [];
try {
  for (let step = 0; step < STEPS; step++) {
    setRate(PER_REPLICA);
    await waitFor(1, 120_000);
    // Let a baseline scrape and pass happen, so the step lands at a random point of both cycles.
    await sleep((SCRAPE_SECONDS + POLL_SECONDS) * 1000 * Math.random() + 2_000);
    setRate(5 * PER_REPLICA);
    const seconds = await waitFor(5, 60_000);
    reactions.push(seconds);
    console.log(`5× step ${step + 1}: ${seconds.toFixed(1)} s to 5 replicas`);
  }
} finally {
  await autoscaler.kill();
  await prometheus.stop();
  await exporter.close();
  await ns.delete();
}

const sorted = [...reactions].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)]!;
const worst = sorted.at(-1)!;
const anchor = SCRAPE_SECONDS + POLL_SECONDS;
const common = {
  unit: 's',
  anchor: `scrape interval + loop period (${SCRAPE_SECONDS} s + ${POLL_SECONDS} s)`,
  anchorValue: anchor,
  machine: machine(),
  date: new Date().toISOString(),
  command: 'npm run bench:autoscaler-reaction',
};
const file = recordEntries('autoscaler', [
  {
    ...common,
    name: 'autoscaler.reaction_5x_step_median',
    value: Number(median.toFixed(2)),
    ratio: Number((median / anchor).toFixed(2)),
    goal: `<= ${GOAL_SECONDS} s`,
    met: median <= GOAL_SECONDS,
  },
  {
    ...common,
    name: 'autoscaler.reaction_5x_step_worst',
    value: Number(worst.toFixed(2)),
    ratio: Number((worst / anchor).toFixed(2)),
    goal: `<= ${GOAL_SECONDS} s`,
    met: worst <= GOAL_SECONDS,
  },
]);
console.log(
  `reaction to a 5× step over ${STEPS} steps: median ${median.toFixed(1)} s, worst ${worst.toFixed(1)} s (anchor ${anchor} s); wrote ${file}`,
);
process.exit(0);
