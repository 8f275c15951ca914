// npm run bench:producer — prints and records (docs/benchmarks/producer.json, merged by name):
//   - records/s and MB/s through POST /v1/records → Kafka ack (acks=all, batches of 500, enough concurrent clients to
//     saturate), with kafkajs and with @platformatic/kafka, each producer in its own process;
//   - the anchor: Kafka's own ProducerPerformance (kafka-tools) on the same broker and record size, same invocation;
//   - producer RSS at a sustained 10 000 rec/s.
// Transactions are fixed-shape (ID_PERSONA, ID_EMPRESA, MONTO, id ≤ 128 chars), so the largest valid record is ~190 B,
// not 1 KB; the anchor uses the same record size so the ratio compares like with like.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTopic, deleteTopic, uniqueName } from '../../../test/stack/fixtures.ts';
import { endpoints, repoRoot } from '../../../test/stack/layout.ts';
import { requireJava17, resolveJars } from '../../../test/stack/prerequisites.ts';
import { freePort } from '../../../test/stack/processes.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 12);
const BATCH = 500;
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const SUSTAINED_RATE = 10_000;

/** Bodies of 500 max-size transactions; ids repeat across requests, which Kafka does not care about. */
function bodies(count: number): { body: string; recordBytes: number } {
  const list = Array.from({ length: count }, (_, b) =>
    JSON.stringify(
      Array.from({ length: BATCH }, (_, i) => ({
        ID_PERSONA: 1_000 + i,
        ID_EMPRESA: (i * 7) % 1_000,
        MONTO: 12_345.67 + i,
        id: `${b}-${i}-`.padEnd(128, 'x'),
      })),
    ),
  );
  const recordBytes = Math.round((list[0] as string).length / BATCH);
  return { body: list.join('\u0000'), recordBytes };
}

interface Producer {
  child: ChildProcess;
  base: string;
}

async function startProducer(writer: string, topic: string, compression: string): Promise<Producer> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(import.meta.dirname, 'bench-server.ts')], {
    env: {
      ...process.env,
      BENCH_WRITER: writer,
      PRODUCER_PORT: String(port),
      PRODUCER_HOST: '127.0.0.1',
      PRODUCER_TOPIC: topic,
      PRODUCER_COMPRESSION: compression,
      PRODUCER_LOG_LEVEL: 'warn',
      PRODUCER_MAX_INFLIGHT_RECORDS: '100000',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let attempt = 0; !(await fetch(`${base}/readyz`).then((r) => r.ok, () => false)); attempt++) {
    if (attempt > 150 || child.exitCode !== null) throw new Error(`bench producer (${writer}) not ready`);
    await sleep(200);
  }
  return { child, base };
}

async function stopProducer(producer: Producer): Promise<void> {
  const exited = new Promise((resolve) => producer.child.once('exit', resolve));
  producer.child.kill('SIGTERM');
  await Promise.race([exited, sleep(10_000).then(() => producer.child.kill('SIGKILL'))]);
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** Clients post back to back (or paced to `rate` records/s) for `seconds`; returns acknowledged records/s. */
async function drive(base: string, payloads: string[], seconds: number, clients: number, rate?: number): Promise<{ perSecond: number; failures: number }> {
  const url = `${base}/v1/records`;
  const end = Date.now() + seconds * 1_000;
  const started = Date.now();
  let acknowledged = 0;
  let failures = 0;
  let sent = 0;
  const client = async (): Promise<void> => {
    while (Date.now() < end) {
      if (rate !== undefined) {
        const due = started + (sent * BATCH * 1_000) / rate;
        if (due > Date.now()) await sleep(due - Date.now());
        if (Date.now() >= end) break;
      }
      const body = payloads[sent++ % payloads.length] as string;
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      await response.arrayBuffer();
      if (response.status === 200) acknowledged += BATCH;
      else failures += 1;
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  return { perSecond: acknowledged / ((Date.now() - started) / 1_000), failures };
}

async function httpPath(writer: string, compression: string, payloads: string[]): Promise<{ perSecond: number; failures: number }> {
  const topic = await createTopic(uniqueName('bench_producer'), 3);
  const producer = await startProducer(writer, topic, compression);
  try {
    await drive(producer.base, payloads, 2, CLIENTS);
    return await drive(producer.base, payloads, SECONDS, CLIENTS);
  } finally {
    await stopProducer(producer);
    await deleteTopic(topic).catch(() => undefined);
  }
}

async function producerPerformance(recordSize: number, records: number): Promise<number> {
  // The broker does not auto-create topics, so ProducerPerformance's topic is made like the producer's: 3 partitions.
  const topicName = await createTopic(uniqueName('bench_pp'), 3);
  const run = (): ReturnType<typeof spawnSync> =>
    spawnSync(
      requireJava17(),
      ['-Xmx512m', '-cp', `${resolveJars('kafka')}/*`, 'org.apache.kafka.tools.ProducerPerformance', '--topic', topicName,
        '--num-records', String(records), '--record-size', String(recordSize), '--throughput', '-1',
        '--producer-props', `bootstrap.servers=${endpoints.kafkaBrokers[0]}`, 'acks=all'],
      { encoding: 'utf8', timeout: 120_000 },
    );
  const result = run();
  await deleteTopic(topicName).catch(() => undefined);
  const summary = String(result.stdout).trim().split('\n').at(-1) ?? '';
  const match = /records sent, ([\d.]+) records\/sec/.exec(summary);
  if (!match) throw new Error(`ProducerPerformance gave no summary: ${summary} ${String(result.stderr).slice(0, 500)}`);
  return Number(match[1]);
}

async function sustainedRss(payloads: string[]): Promise<{ rss: number; perSecond: number }> {
  const topic = await createTopic(uniqueName('bench_rss'), 3);
  const producer = await startProducer('kafkajs', topic, 'gzip');
  try {
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(producer.child.pid as number))), 250);
    const result = await drive(producer.base, payloads, SECONDS, 4, SUSTAINED_RATE);
    clearInterval(sampler);
    return { rss: peak, perSecond: result.perSecond };
  } finally {
    await stopProducer(producer);
    await deleteTopic(topic).catch(() => undefined);
  }
}

interface Entry {
  name: string;
  value: number;
  unit: string;
  anchor: string;
  anchorValue: number | null;
  ratio: number | null;
  goal: string;
  met: boolean;
  machine: string;
  date: string;
  command: string;
}

function record(entries: Entry[]): void {
  const file = join(repoRoot, 'docs', 'benchmarks', 'producer.json');
  mkdirSync(join(repoRoot, 'docs', 'benchmarks'), { recursive: true });
  const existing = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Entry[]) : [];
  const merged = existing.filter((old) => !entries.some((entry) => entry.name === old.name)).concat(entries);
  writeFileSync(file, `${JSON.stringify(merged, null, 2)}\n`);
}

const { body, recordBytes } = bodies(8);
const payloads = body.split('\u0000');
const machine = `${cpus()[0]?.model ?? 'unknown cpu'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB RAM`;
const date = new Date().toISOString();
const command = 'npm run bench:producer';
const round = (value: number, digits = 0): number => Number(value.toFixed(digits));
const mb = (perSecond: number): number => round((perSecond * recordBytes) / 1e6, 1);

console.log(`record size ${recordBytes} B, batches of ${BATCH}, ${CLIENTS} clients, ${SECONDS} s per run`);
const anchor = await producerPerformance(recordBytes, 2_000_000);
console.log(`kafka ProducerPerformance      ${round(anchor)} rec/s  ${mb(anchor)} MB/s`);
const runs: { name: string; writer: string; compression: string }[] = [
  { name: 'producer.push_to_kafka', writer: 'kafkajs', compression: 'gzip' },
  { name: 'producer.push_to_kafka_uncompressed', writer: 'kafkajs', compression: 'none' },
  { name: 'producer.push_to_kafka_platformatic', writer: 'platformatic', compression: 'gzip' },
  { name: 'producer.push_to_kafka_platformatic_uncompressed', writer: 'platformatic', compression: 'none' },
];
const entries: Entry[] = [];
for (const run of runs) {
  const result = await httpPath(run.writer, run.compression, payloads);
  const ratio = round(result.perSecond / anchor, 2);
  console.log(`${run.name.padEnd(48)} ${round(result.perSecond)} rec/s  ${mb(result.perSecond)} MB/s  ratio ${ratio}  non-2xx ${result.failures}`);
  entries.push({
    name: run.name,
    value: round(result.perSecond),
    unit: 'rec/s',
    anchor: `kafka ProducerPerformance (kafka-tools 4.1.1, acks=all, ${recordBytes} B records, same broker)`,
    anchorValue: round(anchor),
    ratio,
    goal: '>= 0.5 ratio and >= 100000 rec/s',
    met: ratio >= 0.5 && result.perSecond >= 100_000,
    machine,
    date,
    command: `${command}  # ${run.writer}, compression ${run.compression}, ${recordBytes} B records = ${mb(result.perSecond)} MB/s`,
  });
}
const rss = await sustainedRss(payloads);
console.log(`producer RSS at ${round(rss.perSecond)} rec/s sustained: ${round(rss.rss, 1)} MB peak`);
entries.push({
  name: 'producer.rss_at_10k',
  value: round(rss.rss, 1),
  unit: 'MB',
  anchor: `offered rate (rec/s) acknowledged while measuring`,
  anchorValue: round(rss.perSecond),
  ratio: null,
  goal: '<= 100 MB at 10000 rec/s',
  met: rss.rss <= 100 && rss.perSecond >= SUSTAINED_RATE * 0.95,
  machine,
  date,
  command,
});
record(entries);
