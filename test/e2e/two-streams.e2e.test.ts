// Two streams at once, each from its shipped stream and sink files, as two producer and two consumer processes on the
// real stack: transactions pushed over HTTP (enriched from PERSONA and EMPRESA), and ISS positions polled from an
// ISS-now style REST API served here (it plays the remote source). Each must land exactly once in its own table — the
// ISS API answers every position twice, and the second answer must overwrite, not add — and neither in the other's.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse as parseYaml } from 'yaml';
import { loadSinkFile, rowKey } from '@tormenta/consumer';
import { seedDimensions, transactions } from '../../services/consumer/src/integration-support.ts';
import type { Dimensions } from '../../services/consumer/src/integration-support.ts';
import { writeSinkFile } from '../../services/consumer/src/testing/sink-file.ts';
import { writeStreamFile } from '../../services/producer/src/testing/stream-file.ts';
import { createTopic, deleteTopic, scanTable, testHBase, uniqueName } from '../stack/fixtures.ts';
import { endpoints, repoRoot } from '../stack/layout.ts';
import { freePort } from '../stack/processes.ts';

const TRANSACTIONS = 2_000;
const ISS_POSITIONS = 12;
const topics = { transactions: uniqueName('e2e_tx'), iss: uniqueName('e2e_iss') };
const tables = { transactions: uniqueName('E2E_TX'), iss: uniqueName('E2E_ISS') };
const children: ChildProcess[] = [];
const cleanup: (() => Promise<unknown>)[] = [];
let dims: Dimensions;
let issApi: Server;
/** Timestamps the ISS API has answered with, each twice. */
const served = new Set<number>();
let sentIds: string[] = [];

/** A shipped YAML file with some fields replaced, written as JSON to a temporary file. */
function shippedWith(path: string, changes: (document: Record<string, unknown>) => void): string {
  const document = parseYaml(readFileSync(join(repoRoot, path), 'utf8')) as Record<string, unknown>;
  changes(document);
  const file = join(mkdtempSync(join(tmpdir(), 'tormenta-e2e-')), 'file.json');
  writeFileSync(file, JSON.stringify(document));
  return file;
}

function startService(script: string, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [join(repoRoot, script)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  return child;
}

async function until(what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

const ready = (port: number): Promise<boolean> => fetch(`http://127.0.0.1:${port}/readyz`).then((response) => response.ok);

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(20_000).then(() => child.kill('SIGKILL'))]);
}

beforeAll(async () => {
  dims = await seedDimensions(20, 5);
  for (const topic of Object.values(topics)) {
    await createTopic(topic, 3);
    cleanup.push(
      () => deleteTopic(topic),
      () => deleteTopic(`${topic}.dlq`),
    );
  }
  cleanup.push(...[...Object.values(tables), dims.persona, dims.empresa].map((table) => () => testHBase().dropTable(table)));

  // Every second request moves the station on: each position is answered twice.
  let requests = 0;
  issApi = createServer((_request, response) => {
    const timestamp = 1_733_112_000 + Math.floor(requests++ / 2);
    if (served.size < ISS_POSITIONS) served.add(timestamp);
    const position = served.has(timestamp) ? timestamp : Math.max(...served);
    response.setHeader('content-type', 'application/json');
    response.end(
      JSON.stringify({
        iss_position: { latitude: String(((position % 180) - 90).toFixed(4)), longitude: String(((position * 7) % 360) - 180) },
        timestamp: position,
        message: 'success',
      }),
    );
  });
  await new Promise<void>((resolve) => issApi.listen(0, '127.0.0.1', resolve));
  const issUrl = `http://127.0.0.1:${(issApi.address() as { port: number }).port}/iss-now.json`;

  const ports = {
    txProducer: await freePort(),
    issProducer: await freePort(),
    txConsumer: await freePort(),
    issConsumer: await freePort(),
  };
  const producerEnv = (port: number, streamFile: string): Record<string, string> => ({
    PRODUCER_HOST: '127.0.0.1',
    PRODUCER_PORT: String(port),
    PRODUCER_KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
    PRODUCER_STREAM_FILE: streamFile,
    PRODUCER_LEASE_MODE: 'none',
    PRODUCER_LOG_LEVEL: 'warn',
  });
  const consumerEnv = (port: number, sinkFile: string): Record<string, string> => ({
    CONSUMER_KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
    CONSUMER_SINK_FILE: sinkFile,
    CONSUMER_HBASE_REST_URL: endpoints.hbaseRest,
    CONSUMER_HTTP_HOST: '127.0.0.1',
    CONSUMER_HTTP_PORT: String(port),
  });
  const issStream = shippedWith('streams/iss.yaml', (stream) => {
    stream.topic = topics.iss;
    stream.source = { ...(stream.source as object), url: issUrl, intervalMs: 200 };
  });
  const issSink = shippedWith('sinks/iss.yaml', (sink) => {
    Object.assign(sink, { topic: topics.iss, group: uniqueName('e2e-iss'), table: tables.iss, batchIntervalMs: 1_000 });
  });
  const txSink = writeSinkFile({
    topic: topics.transactions,
    group: uniqueName('e2e-tx'),
    table: tables.transactions,
    lookupTables: { persona: dims.persona, empresa: dims.empresa },
  });
  startService('services/consumer/src/main.ts', consumerEnv(ports.txConsumer, txSink));
  startService('services/consumer/src/main.ts', consumerEnv(ports.issConsumer, issSink));
  startService('services/producer/src/main.ts', producerEnv(ports.txProducer, writeStreamFile({ topic: topics.transactions })));
  const issProducer = startService('services/producer/src/main.ts', producerEnv(ports.issProducer, issStream));
  for (const port of Object.values(ports)) await until(`:${port} ready`, () => ready(port), 90_000);

  const records = transactions(TRANSACTIONS, dims).map((record, index) => ({ ...record, id: `tx-${index}` }));
  for (let start = 0; start < records.length; start += 200) {
    const response = await fetch(`http://127.0.0.1:${ports.txProducer}/v1/records`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(records.slice(start, start + 200)),
    });
    expect(response.status).toBe(200);
  }
  sentIds = records.map((record) => record.id);

  // Every position answered (twice); stopping the producer stores the batch it holds before it exits.
  await until('the ISS API to have answered every position twice', async () => requests >= ISS_POSITIONS * 2 + 2, 60_000);
  await stop(issProducer);
  issApi.close();

  const txSpec = loadSinkFile(txSink);
  const issSpec = loadSinkFile(issSink);
  await until('every transaction row', async () => (await scanTable(tables.transactions)).size >= TRANSACTIONS, 120_000);
  await until('every ISS row', async () => (await scanTable(tables.iss)).size >= served.size, 60_000);
  // One more batch interval: a duplicate, if any were written, would show up now.
  await sleep(Math.max(txSpec.batchIntervalMs, issSpec.batchIntervalMs) * 3);
}, 600_000);

afterAll(async () => {
  issApi?.close();
  await Promise.all(children.map(stop));
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
});

describe('two streams at once, each from its own stream and sink file', () => {
  it('stores every pushed transaction exactly once, enriched, in its own table', async () => {
    const rows = await scanTable(tables.transactions);
    expect(rows.size).toBe(TRANSACTIONS);
    const sink = loadSinkFile(writeSinkFile({ topic: topics.transactions }));
    const expectedKeys = sentIds.map((id) =>
      rowKey(sink.rowKey, { id }, { topic: topics.transactions, partition: 0, offset: '0' }),
    );
    expect([...rows.keys()].sort()).toEqual([...expectedKeys].sort());
    const sample = rows.get(expectedKeys[7]!)!;
    expect(sample['d:NOMBRE_PERSONA']).toBe(dims.personaNames.get(8));
    expect(sample['d:NOMBRE_EMPRESA']).toBe(dims.empresaNames.get(3));
    expect(Object.keys(sample).some((column) => column.includes('latitude'))).toBe(false);
  });

  it('stores every ISS position exactly once (an answer polled twice is one row), transformed, in its own table', async () => {
    const rows = await scanTable(tables.iss);
    const sink = loadSinkFile(join(repoRoot, 'sinks/iss.yaml'));
    const expected = [...served].map((timestamp) =>
      rowKey(sink.rowKey, { id: `iss-${timestamp}` }, { topic: topics.iss, partition: 0, offset: '0' }),
    );
    expect([...rows.keys()].sort()).toEqual([...expected].sort());
    for (const [key, cells] of rows) {
      const timestamp = [...served].find((candidate) => expected[[...served].indexOf(candidate)] === key)!;
      expect(Number(cells['d:timestamp'])).toBe(timestamp);
      expect(cells['d:id']).toBe(`iss-${timestamp}`);
      expect(Number(cells['d:latitude'])).toBeCloseTo((timestamp % 180) - 90, 3);
      expect(cells['d:ID_PERSONA']).toBeUndefined();
    }
  });
});
