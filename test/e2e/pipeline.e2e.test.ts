// The whole pipeline on the real stack: storm → producer fleet (cluster module, per-replica capacity) → Kafka → consumer →
// HBase, with the autoscaler in local mode scaling the fleet under a budget. A short profile (baseline → 5× → baseline)
// whose spike asks for more replicas than the budget pays for.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadSinkFile, rowKey } from '@tormenta/consumer';
import { datasetFiles } from '../../data/generate.ts';
import type { Empresa, Persona } from '../../data/dataset.ts';
import { countRows, profile, runStorm, startPipeline } from '../../services/pipeline/src/index.ts';
import { freePort } from '../stack/processes.ts';
import type { Pipeline, RunResult } from '../../services/pipeline/src/index.ts';
import { deleteTopic, promQuery, scanTable, testHBase, uniqueName } from '../stack/fixtures.ts';
import { endpoints, repoRoot, stateDir } from '../stack/layout.ts';
import { registerScrapeTargets } from '../stack/prometheus.ts';
import { writeStreamFile } from '../../services/producer/src/testing/stream-file.ts';
import { writeSinkFile } from '../../services/consumer/src/testing/sink-file.ts';

const TARGET_PER_REPLICA = 200;
const COST = 10;
const BUDGET = 40; // cap 4; the 5× spike (1 000 rec/s) asks for 5
const CAP = Math.floor(BUDGET / COST);
const phases = profile('short', { baseline: 200, targetPerReplica: TARGET_PER_REPLICA, budgetCap: CAP, durationSeconds: 100 });
const namespace = uniqueName('e2e').replaceAll('_', '-').toLowerCase();
const topic = uniqueName('e2e_topic');
const tables = { persona: uniqueName('E2E_PERSONA'), empresa: uniqueName('E2E_EMPRESA'), enriched: uniqueName('E2E_ENRICHED') };
const runId = uniqueName('e2e');
const sinkFile = writeSinkFile({
  topic,
  group: uniqueName('e2e-group'),
  batchIntervalMs: 1_000,
  table: tables.enriched,
  lookupTables: { persona: tables.persona, empresa: tables.empresa },
});
const sink = loadSinkFile(sinkFile);
const decisions: Record<string, unknown>[] = [];
let pipeline: Pipeline | undefined;
let run: RunResult;
let rows: Map<string, Record<string, string>>;

async function until(what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  pipeline = await startPipeline({
    endpoints,
    registerScrapeTargets,
    namespace,
    topic,
    streamFile: writeStreamFile({ topic }),
    sinkFile,
    partitions: 3,
    tables,
    ingestPort: await freePort(),
    stateDir,
    targetPerReplica: TARGET_PER_REPLICA,
    capacityPerReplica: 250,
    costPerReplicaHour: COST,
    budgetPerHour: BUDGET,
    minReplicas: 1,
    maxReplicas: 8,
    pollIntervalSeconds: 5,
    scaleDownStabilizationSeconds: 15,
    onAutoscalerLog: (entry) => {
      if (entry.msg === 'decision') decisions.push(entry);
    },
  });
  const pool = JSON.parse(readFileSync(datasetFiles.transacciones, 'utf8')) as Record<string, unknown>[];
  run = await runStorm({
    pipeline,
    prometheusUrl: endpoints.prometheus,
    namespace,
    phases,
    pool,
    runId,
    keepAccepted: true,
    drainSeconds: 5,
    signal: new AbortController().signal,
  });
  await until(
    'every accepted record in HBase',
    async () => (await countRows(endpoints.hbaseRest, tables.enriched)) >= run.storm.accepted.length,
    120_000,
  );
  rows = await scanTable(tables.enriched);
});

afterAll(async () => {
  await pipeline?.stop();
  await deleteTopic(topic).catch(() => undefined);
  await deleteTopic(`${topic}.dlq`).catch(() => undefined);
  for (const table of Object.values(tables))
    await testHBase()
      .dropTable(table)
      .catch(() => undefined);
});

describe('the whole pipeline under a storm', () => {
  it('refused what the running replicas could not take, and failed nothing', () => {
    const { tally } = run;
    expect(tally.failed).toBe(0);
    expect(tally.offered).toBe(phases.reduce((sum, phase) => sum + phase.rate * phase.seconds, 0));
    expect(tally.accepted + tally.rejected).toBe(tally.offered);
    expect(tally.rejected).toBeGreaterThan(0);
    expect(Object.keys(tally.statuses).sort()).toEqual(['200', '429']);
    expect(run.storm.accepted).toHaveLength(tally.accepted);
  });

  it('stored every accepted record exactly once, correctly enriched, and nothing else', () => {
    const personas = new Map((JSON.parse(readFileSync(datasetFiles.personas, 'utf8')) as Persona[]).map((p) => [p.ID, p.NOMBRE]));
    const empresas = new Map((JSON.parse(readFileSync(datasetFiles.empresas, 'utf8')) as Empresa[]).map((e) => [e.ID, e.NOMBRE]));
    expect(rows.size).toBe(run.storm.accepted.length);
    const wrong: string[] = [];
    for (const record of run.storm.accepted) {
      const cells = rows.get(rowKey(sink.rowKey, record, { topic, partition: 0, offset: '0' }) ?? '');
      const expected = {
        'd:ID_PERSONA': String(record.ID_PERSONA),
        'd:NOMBRE_PERSONA': personas.get(record.ID_PERSONA as number),
        'd:ID_EMPRESA': String(record.ID_EMPRESA),
        'd:NOMBRE_EMPRESA': empresas.get(record.ID_EMPRESA as number),
        'd:MONTO': String(record.MONTO),
      };
      const actual = cells && Object.fromEntries(Object.keys(expected).map((column) => [column, cells[column]]));
      if (JSON.stringify(actual) !== JSON.stringify(expected) || !/^\d{4}-\d\d-\d\dT/.test(cells?.['d:FECHA'] ?? ''))
        wrong.push(record.id);
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it('scaled up during the spike, to the budget cap and never past it, and back down after', () => {
    const replicas = run.samples.map((sample) => sample.replicas);
    const spikeStart = phases[0]!.seconds;
    const spikeEnd = spikeStart + phases[1]!.seconds;
    const before = run.samples.filter((sample) => sample.t < spikeStart).map((sample) => sample.replicas);
    const during = run.samples
      .filter((sample) => sample.t >= spikeStart && sample.t < spikeEnd + 5)
      .map((sample) => sample.replicas);
    expect(Math.max(...before)).toBe(1);
    expect(Math.max(...replicas)).toBe(CAP);
    expect(Math.max(...during)).toBe(CAP);
    expect(replicas.at(-1)).toBeLessThan(CAP);
    expect(decisions.some((decision) => decision.reason === 'BudgetCapReached')).toBe(true);
    expect(decisions.every((decision) => Number(decision.replicas) <= CAP && Number(decision.cap) === CAP)).toBe(true);
    expect(Math.max(...run.samples.map((sample) => sample.spendPerHour).filter(Number.isFinite))).toBeLessThanOrEqual(BUDGET);
  });

  it('returns series for every query of the Grafana dashboards', async () => {
    const dir = join(repoRoot, 'charts', 'tormenta', 'dashboards');
    const empty: string[] = [];
    let checked = 0;
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
      const dashboard = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { panels: { targets?: { expr?: string }[] }[] };
      for (const expr of dashboard.panels
        .flatMap((panel) => panel.targets ?? [])
        .flatMap((target) => (target.expr ? [target.expr] : []))) {
        const query = expr.replaceAll('$__rate_interval', '1m').replaceAll('$namespace', namespace);
        checked += 1;
        if ((await promQuery(query)).length === 0) empty.push(`${file}: ${query}`);
      }
    }
    expect(checked).toBeGreaterThan(25);
    expect(empty).toEqual([]);
  });
});
