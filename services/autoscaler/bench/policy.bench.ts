// Benchmark (prints figures; not a test): CPU time of one decision pass over 1 000 targets, pool allocation included,
// against a trivial ceil(rate / targetPerReplica) pass over the same targets measured in the same run; plus the
// simulator's figures (scale changes under noise, cap violations across scenarios). Merges its entries by name into
// docs/benchmarks/autoscaler.json (ARCHITECTURE §10).
//   scripts/node24.sh node services/autoscaler/bench/policy.bench.ts
import { describeEntry, machine as describeMachine, recordEntries } from '../../../bench/report.ts';
import type { BenchEntry } from '../../../bench/report.ts';
import { decidePass } from '../src/policy/decide.ts';
import type { PassInput } from '../src/policy/decide.ts';
import { DEFAULT_BEHAVIOR, DEFAULT_SURGE_GUARD } from '../src/policy/defaults.ts';
import { initialHistory, recordDecision } from '../src/policy/history.ts';
import { noiseScenario, SCENARIOS, SEED_BASELINE_RATE } from '../src/simulator/scenarios.ts';
import { simulate } from '../src/simulator/simulate.ts';
import { seededRandom } from '@tormenta/random';

const TARGETS = 1_000;
const POLL = 15;
const COMMAND = 'scripts/node24.sh node services/autoscaler/bench/policy.bench.ts';

/** 1 000 targets with a realistic, warmed-up history (a full scale-down window of recommendations, rate samples). */
function warmTargets(): { inputs: PassInput[]; now: number } {
  const random = seededRandom(7);
  let inputs: PassInput[] = Array.from({ length: TARGETS }, (_, index) => {
    const replicas = 1 + Math.floor(random() * 10);
    return {
      observed: { currentReplicas: replicas, metric: { kind: 'rate' as const, rate: 0, source: 'fresh' as const } },
      spec: {
        name: `target-${String(index).padStart(4, '0')}`,
        minReplicas: 1,
        maxReplicas: 50,
        targetPerReplica: 100_000,
        costPerReplicaHour: [0.5, 1, 2.5, 10][index % 4]!,
        tolerance: 0.1,
        behavior: DEFAULT_BEHAVIOR,
        surge: DEFAULT_SURGE_GUARD,
      },
      history: initialHistory(replicas, 0),
    };
  });
  let now = 0;
  for (let pass = 0; pass < 45; pass += 1) {
    now += POLL;
    inputs = inputs.map((input) => ({
      ...input,
      observed: { ...input.observed, metric: { kind: 'rate', rate: random() * 1_500_000, source: 'fresh' } },
    }));
    const { decisions } = decidePass(inputs, 5_000, now);
    inputs = inputs.map((input, index) => {
      const decision = decisions[index]!;
      return {
        ...input,
        observed: { ...input.observed, currentReplicas: decision.replicas },
        history: recordDecision(input.history, input.observed, decision, true, input.spec, now),
      };
    });
  }
  return { inputs, now: now + POLL };
}

function cpuMillisecondsPerPass(passes: number, pass: () => unknown): number {
  let sink = 0;
  const before = process.cpuUsage();
  for (let index = 0; index < passes; index += 1) sink += pass() === undefined ? 0 : 1;
  const used = process.cpuUsage(before);
  if (sink < 0) throw new Error('unreachable');
  return (used.user + used.system) / 1_000 / passes;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function main(): void {
  const machine = describeMachine();
  const date = new Date().toISOString();
  const { inputs, now } = warmTargets();

  const decisionPass = (): unknown => decidePass(inputs, 5_000, now);
  const anchorPass = (): unknown => {
    const replicas = new Array<number>(inputs.length);
    for (let index = 0; index < inputs.length; index += 1) {
      const input = inputs[index]!;
      const rate = input.observed.metric.kind === 'rate' ? input.observed.metric.rate : 0;
      replicas[index] = Math.ceil(rate / input.spec.targetPerReplica);
    }
    return replicas;
  };
  for (let warm = 0; warm < 20; warm += 1) {
    decisionPass();
    for (let inner = 0; inner < 100; inner += 1) anchorPass();
  }
  const decisionSamples: number[] = [];
  const anchorSamples: number[] = [];
  for (let round = 0; round < 7; round += 1) {
    decisionSamples.push(cpuMillisecondsPerPass(30, decisionPass));
    anchorSamples.push(cpuMillisecondsPerPass(3_000, anchorPass));
  }
  const passMs = median(decisionSamples);
  const anchorMs = median(anchorSamples);

  const noiseRuns = [SEED_BASELINE_RATE, 250_000, 430_000, 1_000_000].flatMap((rate) =>
    [1, 2, 3].map((seed) => simulate(noiseScenario(rate, seed))),
  );
  const noiseChanges = noiseRuns.reduce((sum, report) => sum + report.scaleEvents, 0);
  const scenarioReports = Object.values(SCENARIOS).map((make) => simulate(make()));
  const capViolations = scenarioReports.reduce((sum, report) => sum + report.capViolations, 0);
  const day = scenarioReports.find((report) => report.scenario === 'day')!;

  const dayTargets = SCENARIOS['day']!().targets;
  const fixedPeakCost =
    24 * day.targets.reduce((sum, target, index) => sum + target.maxReplicas * dayTargets[index]!.policy.costPerReplicaHour, 0);
  const common = { machine, date, command: COMMAND };
  const entries: BenchEntry[] = [
    {
      name: 'autoscaler.decision_pass_1000_targets_cpu',
      value: +passMs.toFixed(3),
      unit: 'ms CPU per pass',
      anchor: 'ceil(rate / targetPerReplica) over the same 1 000 targets',
      anchorValue: +anchorMs.toFixed(4),
      ratio: +(passMs / anchorMs).toFixed(1),
      goal: '< 1000 ms CPU per pass over 1 000 targets (ratio informational)',
      met: passMs < 1_000,
      ...common,
    },
    {
      name: 'autoscaler.sim.scale_changes_under_noise',
      value: noiseChanges,
      unit: 'scale changes',
      anchor: null,
      anchorValue: null,
      ratio: null,
      goal: `0 over ${noiseRuns.length} runs of 30 simulated min, ±20 % noise, steady 100k–1M rec/s, default behavior`,
      met: noiseChanges === 0,
      ...common,
    },
    {
      name: 'autoscaler.sim.cap_violations',
      value: capViolations,
      unit: 'simulated seconds over budget',
      anchor: null,
      anchorValue: null,
      ratio: null,
      goal: `0 across scenarios ${scenarioReports.map((report) => report.scenario).join(', ')}: spend rate over maxPerHour, or a UTC hour, day or month over its budget`,
      met: capViolations === 0,
      ...common,
    },
    {
      name: 'autoscaler.sim.day_cost',
      value: +day.cost.toFixed(2),
      unit: `${day.currency} per simulated day (2 targets)`,
      anchor: 'fixed provisioning at the simulated peak replicas for 24 h',
      anchorValue: fixedPeakCost,
      ratio: +(day.cost / fixedPeakCost).toFixed(3),
      goal: 'informational (below the fixed-peak anchor)',
      met: day.cost < fixedPeakCost,
      ...common,
    },
  ];

  const output = recordEntries('autoscaler', entries);
  for (const entry of entries) process.stdout.write(`${describeEntry(entry)}\n`);
  process.stdout.write(`written to ${output}\n`);
}

main();
