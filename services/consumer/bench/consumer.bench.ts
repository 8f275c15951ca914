// npm run bench:consumer — prints and records (docs/benchmarks/consumer.json, merged by name):
//  1. consumer.enrich_to_hbase: enriched rows/s of one consumer process draining a pre-filled topic into HBase, next to
//     the anchor measured in the same invocation: the same rows written by a minimal raw REST multi-row PUT client
//     (no Kafka, no lookups, same chunk size). Goal ≥ 0.8× the anchor. The consumer drains the topic several times,
//     alternating protobuf CellSets (the default) and JSON ones (CONSUMER_HBASE_ENCODING=json), medians of 3 each:
//     consumer.enrich_to_hbase_json and consumer.enrich_protobuf_vs_json say what protobuf buys end to end.
//  2. consumer.e2e_latency_p99: producer ack → row readable, at a steady 5 000 rec/s with 1 s micro-batches, sampled
//     records polled with raw REST multigets. Goal p99 ≤ 1.5 s.
// Needs the stack (npm run stack -- up).
import { setTimeout as sleep } from 'node:timers/promises';
import { FAMILY } from '@tormenta/hbase';
import { createTopic, deleteTopic, testHBase, testKafka, uniqueName } from '../../../test/stack/fixtures.ts';
import { endpoints } from '../../../test/stack/layout.ts';
import { machine as describeMachine, recordEntries } from '../../../bench/report.ts';
import type { BenchEntry } from '../../../bench/report.ts';
import { ConsumerService } from '../src/consumer-service.ts';
import { decodeBatch, enrichBatch } from '../src/enrich.ts';
import type { FoundRows } from '../src/enrich.ts';
import { rowKey } from '../src/row-key.ts';
import { loadSinkFile } from '../src/sink-file.ts';
import { produce, seedDimensions, testConsumerConfig, transactions } from '../src/integration-support.ts';
import type { Dimensions } from '../src/integration-support.ts';
import { TRANSACTION_SINK_FILE } from '../src/testing/sink-file.ts';

const THROUGHPUT_RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
/** Drains with protobuf and with JSON CellSets, alternating; the medians count. */
const ENCODING_REPEATS = Number(process.env.BENCH_ENCODING_REPEATS ?? 3);
const median = (values: number[]): number => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)] ?? NaN;
const PUT_CHUNK = 1_000;
const LATENCY_RATE = 5_000;
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 30);
const SAMPLE_EVERY = 50;

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** The anchor: a bare multi-row PUT of a CellSet per chunk, sequential, exactly as HBase REST documents it. */
async function rawPut(table: string, rows: { key: string; cells: Record<string, string> }[]): Promise<void> {
  for (let start = 0; start < rows.length; start += PUT_CHUNK) {
    const body = {
      Row: rows.slice(start, start + PUT_CHUNK).map((row) => ({
        key: b64(row.key),
        Cell: Object.entries(row.cells).map(([column, value]) => ({ column: b64(column), $: b64(value) })),
      })),
    };
    const response = await fetch(`${endpoints.hbaseRest}/${table}/fakerow`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`raw PUT: ${response.status} ${await response.text()}`);
  }
}

async function rawRowsExist(table: string, keys: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let start = 0; start < keys.length; start += 100) {
    const query = keys
      .slice(start, start + 100)
      .map((key) => `row=${encodeURIComponent(key)}`)
      .join('&');
    const response = await fetch(`${endpoints.hbaseRest}/${table}/multiget?${query}`, {
      headers: { Accept: 'application/json' },
    });
    if (response.status === 404) continue;
    const body = (await response.json()) as { Row?: { key: string }[] };
    for (const row of body.Row ?? []) found.add(Buffer.from(row.key, 'base64').toString('utf8'));
  }
  return found;
}

/** The shipped transactions sink; the bench runs it on topics and tables of its own. */
const sink = loadSinkFile(TRANSACTION_SINK_FILE);
const namesFound = (names: Map<number, string>): FoundRows =>
  new Map([...names].map(([id, name]) => [String(id), { NOMBRE: name }]));

function startConsumer(topic: string, enriched: string, dims: Dimensions, extra: Record<string, string>) {
  const batches: { at: number; records: number }[] = [];
  const { config } = testConsumerConfig({ topic, enriched, dims, sink: { batchIntervalMs: 1_000 }, extra });
  const service = new ConsumerService(config, {
    log: (event, fields) => {
      if (event === 'batch_stored') batches.push({ at: performance.now(), records: Number(fields.records) });
    },
  });
  return { service, batches };
}

async function throughput(dims: Dimensions): Promise<{ consumer: number; json: number; raw: number; figures: string }> {
  const topic = await createTopic(uniqueName('bench'), 6);
  const enriched = uniqueName('BENCH_ENRICHED');
  const rawTable = uniqueName('BENCH_RAW');
  const tables: string[] = [];
  const sent = transactions(THROUGHPUT_RECORDS, dims);
  try {
    await produce(topic, sent);
    // The anchor writes the very rows the consumer will write (same keys, same cells).
    const records = sent.map((tx, i) => ({
      source: { topic, partition: i % 6, offset: String(Math.floor(i / 6)) },
      key: null,
      value: Buffer.from(JSON.stringify(tx)),
    }));
    const found = [namesFound(dims.personaNames), namesFound(dims.empresaNames)];
    const rows = enrichBatch(sink, decodeBatch(sink, records), found, new Date()).rows;
    await testHBase().ensureTable(rawTable, [FAMILY]);
    const rawBegan = performance.now();
    await rawPut(rawTable, rows);
    const raw = rows.length / ((performance.now() - rawBegan) / 1000);

    const drain = async (table: string, extra: Record<string, string>): Promise<number> => {
      const { service, batches } = startConsumer(topic, table, dims, { CONSUMER_MAX_BATCH_RECORDS: '10000', ...extra });
      await service.start();
      while (batches.reduce((sum, batch) => sum + batch.records, 0) < sent.length) await sleep(100);
      await service.stop();
      // From the end of the first batch to the end of the last: group join and first fetch are start-up, not throughput.
      const first = batches[0];
      const last = batches.at(-1);
      if (!first || !last || first === last) throw new Error('too few batches to measure; raise BENCH_RECORDS');
      return (sent.length - first.records) / ((last.at - first.at) / 1000);
    };
    // Alternating, so a noisy neighbour hurts both alike; each drain is a group of its own (testConsumerConfig draws one
    // per call) reading the topic from the beginning, into a table of its own.
    const protobufs: number[] = [];
    const jsons: number[] = [];
    for (let repeat = 0; repeat < ENCODING_REPEATS; repeat += 1) {
      tables.push(`${enriched}_${repeat}`, `${enriched}_JSON_${repeat}`);
      protobufs.push(await drain(`${enriched}_${repeat}`, {}));
      jsons.push(await drain(`${enriched}_JSON_${repeat}`, { CONSUMER_HBASE_ENCODING: 'json' }));
    }
    const figures = `protobuf ${protobufs.map(Math.round).join('/')}, JSON ${jsons.map(Math.round).join('/')} rows/s`;
    return { consumer: median(protobufs), json: median(jsons), raw, figures };
  } finally {
    await deleteTopic(topic).catch(() => undefined);
    await deleteTopic(`${topic}.dlq`).catch(() => undefined);
    await testHBase()
      .dropTable(rawTable)
      .catch(() => undefined);
    for (const table of tables) {
      await testHBase()
        .dropTable(table)
        .catch(() => undefined);
    }
  }
}

async function latency(dims: Dimensions): Promise<{ p50: number; p99: number; samples: number; rate: number }> {
  const topic = await createTopic(uniqueName('bench_lat'), 6);
  const enriched = uniqueName('BENCH_LAT');
  const { service } = startConsumer(topic, enriched, dims, { CONSUMER_FROM_BEGINNING: 'true' });
  const producer = testKafka().producer({ allowAutoTopicCreation: false });
  const pending = new Map<string, number>(); // row key → ack time
  const latencies: number[] = [];
  let polling = true;
  try {
    await service.start();
    await producer.connect();
    await sleep(2_000); // let the group settle before the clock starts
    const poller = (async () => {
      while (polling || pending.size > 0) {
        const keys = [...pending.keys()];
        const found = await rawRowsExist(enriched, keys).catch(() => new Set<string>());
        const now = performance.now();
        for (const key of found) {
          latencies.push(now - (pending.get(key) ?? now));
          pending.delete(key);
        }
        await sleep(50);
      }
    })();
    const perTick = LATENCY_RATE / 10;
    const began = performance.now();
    let seq = 0;
    for (let tick = 0; tick < LATENCY_SECONDS * 10; tick += 1) {
      const batch = Array.from({ length: perTick }, () => {
        const n = seq++;
        return { ID_PERSONA: (n % 1_000) + 1, ID_EMPRESA: (n % 50) + 1, MONTO: n / 100, id: `lat-${n}` };
      });
      const sending = producer.send({
        topic,
        acks: -1,
        messages: batch.map((tx) => ({ key: tx.id, value: JSON.stringify(tx) })),
      });
      void sending.then(() => {
        const ackedAt = performance.now();
        for (const tx of batch) {
          if (Number(tx.id.slice(4)) % SAMPLE_EVERY !== 0) continue;
          pending.set(rowKey(sink.rowKey, tx, { topic, partition: 0, offset: '0' })!, ackedAt);
        }
      });
      const next = began + (tick + 1) * 100;
      await sleep(Math.max(0, next - performance.now()));
    }
    const rate = seq / ((performance.now() - began) / 1000);
    polling = false;
    await Promise.race([poller, sleep(30_000)]);
    latencies.sort((a, b) => a - b);
    const at = (q: number): number => (latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN) / 1000;
    return { p50: at(0.5), p99: at(0.99), samples: latencies.length, rate };
  } finally {
    polling = false;
    pending.clear();
    await producer.disconnect().catch(() => undefined);
    await service.stop().catch(() => undefined);
    await deleteTopic(topic).catch(() => undefined);
    await deleteTopic(`${topic}.dlq`).catch(() => undefined);
    await testHBase()
      .dropTable(enriched)
      .catch(() => undefined);
  }
}

const machine = describeMachine();
const command = 'npm run bench:consumer';
const date = new Date().toISOString();
const round = (value: number, digits = 0): number => Number(value.toFixed(digits));

const dims = await seedDimensions(1_000, 50);
const rates = await throughput(dims);
const ratio = rates.consumer / rates.raw;
console.log(
  `enriched rows/s: consumer ${round(rates.consumer)} (JSON CellSets ${round(rates.json)}), raw REST PUT ${round(rates.raw)}, ratio ${ratio.toFixed(2)}`,
);
const lat = await latency(dims);
console.log(
  `latency at ${round(lat.rate)} rec/s, 1 s batches: p50 ${lat.p50.toFixed(3)} s, p99 ${lat.p99.toFixed(3)} s (${lat.samples} samples)`,
);
const entries: BenchEntry[] = [
  {
    name: 'consumer.enrich_to_hbase',
    value: round(rates.consumer),
    unit: 'rows/s',
    anchor: 'raw HBase REST multi-row PUT of the same rows (1 000 rows per request)',
    anchorValue: round(rates.raw),
    ratio: round(ratio, 2),
    goal: '>= 0.8 ratio',
    met: ratio >= 0.8,
    machine,
    date,
    command,
  },
  {
    name: 'consumer.enrich_to_hbase_json',
    value: round(rates.json),
    unit: 'rows/s',
    anchor: 'raw HBase REST multi-row PUT of the same rows (1 000 rows per request)',
    anchorValue: round(rates.raw),
    ratio: round(rates.json / rates.raw, 2),
    goal: 'informational: the consumer with CONSUMER_HBASE_ENCODING=json (the fallback)',
    met: true,
    machine,
    date,
    command,
  },
  {
    name: 'consumer.enrich_protobuf_vs_json',
    value: round(rates.consumer),
    unit: 'rows/s',
    anchor: 'the same consumer, same rows, with JSON CellSets, same run',
    anchorValue: round(rates.json),
    ratio: round(rates.consumer / rates.json, 2),
    goal: 'informational: what protobuf CellSets buy end to end',
    met: true,
    machine,
    date,
    command: `${command}  # median of ${ENCODING_REPEATS} alternating drains of ${THROUGHPUT_RECORDS} records; ${rates.figures}`,
  },
  {
    name: 'consumer.e2e_latency_p99',
    value: round(lat.p99, 3),
    unit: 's',
    anchor: `p50 at ${round(lat.rate)} rec/s offered, ${lat.samples} sampled records (1 in ${SAMPLE_EVERY})`,
    anchorValue: round(lat.p50, 3),
    ratio: null,
    goal: 'p99 <= 1.5 s at 5000 rec/s with 1 s micro-batches',
    met: lat.p99 <= 1.5 && lat.rate >= LATENCY_RATE * 0.95,
    machine,
    date,
    command,
  },
];
recordEntries('consumer', entries);
await testHBase().dropTable(dims.persona);
await testHBase().dropTable(dims.empresa);
process.exit(0);
