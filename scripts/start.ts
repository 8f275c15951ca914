// npm start: the whole pipeline on this machine — the stack, the dataset, a producer fleet sharing one ingest port, the
// consumer and the autoscaler in local mode — under a storm profile, with a live view, then a summary and a plot.
//   npm start -- [--profile spike|short|steady] [--duration 200] [--budget 60] [--baseline 200]
//                [--stream streams/<name>.yaml] [--sink sinks/<name>.yaml] [--records <JSON array file>]
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadSinkFile } from '@tormenta/consumer';
import { TABLE_EMPRESA, TABLE_PERSONA } from '@tormenta/hbase';
import { loadStreamFile } from '@tormenta/producer';
import { datasetFiles } from '../data/generate.ts';
import { endpoints, stateDir } from '../test/stack/layout.ts';
import { registerScrapeTargets } from '../test/stack/prometheus.ts';
import { stackUp } from '../test/stack/stack.ts';
import {
  budgetCap,
  countRows,
  profile,
  PROFILE_NAMES,
  renderPlot,
  renderSummary,
  renderView,
  runStorm,
  startPipeline,
  summarize,
} from '../services/pipeline/src/index.ts';
import type { Pipeline, ProfileName } from '../services/pipeline/src/index.ts';

const TARGET_PER_REPLICA = 200;
const CAPACITY_PER_REPLICA = 250;
const COST_PER_REPLICA_HOUR = 10;
const NAMESPACE = 'tormenta-local';

function fail(message: string): never {
  console.error(`start: ${message}`);
  process.exit(1);
}

const { values } = parseArgs({
  options: {
    profile: { type: 'string', default: 'spike' },
    duration: { type: 'string', default: '200' },
    budget: { type: 'string', default: '60' },
    baseline: { type: 'string', default: String(TARGET_PER_REPLICA) },
    stream: { type: 'string', default: 'streams/transacciones.yaml' },
    sink: { type: 'string' },
    records: { type: 'string' },
  },
});
const number = (name: string, text: string, min: number): number => {
  const value = Number(text);
  if (!Number.isFinite(value) || value < min) fail(`--${name} must be a number ≥ ${min}, got "${text}"`);
  return value;
};
if (!(PROFILE_NAMES as readonly string[]).includes(values.profile)) fail(`--profile must be one of ${PROFILE_NAMES.join(', ')}`);
const profileName = values.profile as ProfileName;
const settings = <T>(read: () => T): T => {
  try {
    return read();
  } catch (error) {
    console.error(`start: ${(error as Error).message}`);
    process.exit(2);
  }
};
// Any stream and its sink (by default the sink named like the stream): the pipeline's topic and table come from them.
const stream = settings(() => loadStreamFile(values.stream));
const sinkFile = values.sink ?? join('sinks', `${stream.name}.yaml`);
if (!existsSync(sinkFile))
  fail(`no sink for stream ${stream.name} (${sinkFile}): pass --sink <file>, e.g. a copy of sinks/iss.yaml`);
const sink = settings(() => loadSinkFile(sinkFile));
if (sink.topic !== stream.topic) fail(`${sinkFile} reads topic ${sink.topic} but ${values.stream} writes ${stream.topic}`);
// A pushed stream gets the storm; any other source reads by itself, and the run watches what it brings.
const pushed = stream.source.kind === 'http-push';
const recordsFile = values.records ?? (stream.name === 'transacciones' ? datasetFiles.transacciones : undefined);
if (pushed && recordsFile === undefined)
  fail(`stream ${stream.name} is pushed: pass --records <file>, a JSON array of its records for the storm to post`);
const pool = pushed ? settings(() => readPool(recordsFile!)) : [];

function readPool(file: string): Record<string, unknown>[] {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (
    !Array.isArray(parsed) ||
    parsed.length === 0 ||
    !parsed.every((item) => typeof item === 'object' && item !== null && !Array.isArray(item))
  ) {
    throw new Error(`--records ${file}: must be a non-empty JSON array of objects`);
  }
  return parsed as Record<string, unknown>[];
}

const durationSeconds = number('duration', values.duration, 10);
const budgetPerHour = number('budget', values.budget, COST_PER_REPLICA_HOUR);
const baseline = number('baseline', values.baseline, 1);
const cap = budgetCap(budgetPerHour, COST_PER_REPLICA_HOUR);
const phases = pushed
  ? profile(profileName, { baseline, targetPerReplica: TARGET_PER_REPLICA, budgetCap: cap, durationSeconds })
  : [{ name: `${stream.source.kind} source`, rate: 0, seconds: durationSeconds }];

const abort = new AbortController();
const events: string[] = [];
let pipeline: Pipeline | undefined;
let interrupted = 0;
process.on('SIGINT', () => {
  interrupted += 1;
  if (interrupted > 1) process.exit(130);
  console.log('\nstopping the pipeline (Ctrl-C again to leave at once)…');
  abort.abort();
});

try {
  const report = await stackUp((line) => console.log(`stack: ${line}`));
  console.log(`stack: up in ${report.seconds.toFixed(1)}s`);
  if (abort.signal.aborted) process.exit(130);
  pipeline = await startPipeline(
    {
      endpoints,
      registerScrapeTargets,
      namespace: NAMESPACE,
      topic: stream.topic,
      streamFile: values.stream,
      sinkFile,
      partitions: 6,
      tables: { persona: TABLE_PERSONA, empresa: TABLE_EMPRESA, enriched: sink.table },
      ingestPort: 3000,
      stateDir,
      targetPerReplica: TARGET_PER_REPLICA,
      capacityPerReplica: CAPACITY_PER_REPLICA,
      costPerReplicaHour: COST_PER_REPLICA_HOUR,
      budgetPerHour,
      minReplicas: 1,
      maxReplicas: Math.max(cap + 4, 8),
      pollIntervalSeconds: 5,
      scaleDownStabilizationSeconds: 20,
      onAutoscalerLog: (entry) => {
        if (entry.msg === 'event')
          events.push(`${new Date().toLocaleTimeString()} ${String(entry.reason)}: ${String(entry.message)}`);
      },
    },
    (line) => console.log(line),
  );
  console.log(`storm: ${phases.map((phase) => `${phase.name} ${phase.rate} rec/s for ${phase.seconds}s`).join(' → ')}`);
  const context = { profile: profileName, phases, capacityPerReplica: CAPACITY_PER_REPLICA, enrichedTable: sink.table };
  const live = process.stdout.isTTY;
  // Rows this run adds: the table keeps earlier runs' rows, and a replayed record overwrites its own row.
  const rowsBefore = await countRows(endpoints.hbaseRest, sink.table).catch(() => null);
  const running = pipeline;
  const result = await runStorm({
    pipeline,
    prometheusUrl: endpoints.prometheus,
    namespace: NAMESPACE,
    phases,
    pool,
    runId: `start-${Date.now().toString(36)}`,
    signal: abort.signal,
    onSample: (sample, tally) => {
      const view = renderView(sample, tally, context, running.processes());
      const recent = events.slice(-4).map((event) => `  ${event}`);
      if (live) process.stdout.write(`\x1b[H\x1b[2J${view}\n\nautoscaler events:\n${recent.join('\n')}\n`);
      else if (Math.round(sample.t) % 10 === 0) console.log(view.split('\n').filter(Boolean).slice(0, 6).join(' | '));
    },
  });
  const processes = pipeline.processes();
  // The consumer's own lag gauge as Prometheus last read it, before stopping removes the scrape targets.
  const lagLeft = result.samples.findLast((sample) => Number.isFinite(sample.lag))?.lag ?? null;
  await pipeline.stop();
  pipeline = undefined;
  const rowsAfter = await countRows(endpoints.hbaseRest, sink.table).catch(() => null);
  const rowsStored = rowsBefore === null || rowsAfter === null ? null : rowsAfter - rowsBefore;
  const summary = summarize({
    samples: result.samples,
    tally: result.tally,
    budgetCap: cap,
    budgetPerHour,
    rowsStored,
    lagLeft,
    processes,
  });
  const outDir = join(stateDir, 'pipeline');
  mkdirSync(outDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const plotFile = join(outDir, `run-${stamp}.svg`);
  writeFileSync(plotFile, renderPlot(result.samples, context, budgetPerHour));
  writeFileSync(
    join(outDir, `run-${stamp}.json`),
    `${JSON.stringify({ summary, phases, samples: result.samples, events }, null, 2)}\n`,
  );
  console.log(`\n${renderSummary(summary)}`);
  console.log(`autoscaler events:\n${events.map((event) => `  ${event}`).join('\n') || '  (none)'}`);
  console.log(`plot: ${plotFile}`);
  console.log('the stack is still up (Kafka, HBase, Prometheus); stop it with: npm run stack -- down');
  process.exit(0);
} catch (error) {
  await pipeline?.stop().catch(() => undefined);
  fail(error instanceof Error ? error.message : String(error));
}
