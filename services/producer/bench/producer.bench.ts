// npm run bench:producer — prints and records (docs/benchmarks/producer.json, merged by name):
//   - records/s and MB/s through POST /v1/records → Kafka ack (acks=all, batches of 500, enough concurrent clients to
//     saturate), with kafkajs and with @platformatic/kafka, each producer in its own process;
//   - the anchor: Kafka's own ProducerPerformance (kafka-tools) on the same broker, record size and compression (gzip at
//     level 1, as the writer compresses, or none), same invocation — each figure is set against the anchor with its own
//     compression, since compressing is a large share of either client's work;
//   - producer RSS at a sustained 10 000 rec/s, and idle;
//   - kafkajs with 1, 2 and 4 idempotent producers in the pool (PRODUCER_KAFKA_PRODUCERS), and the CPU share of the
//     producer and of the load generator in every run, since both share this machine's cores.
// The producer runs as the image runs it: bundled by scripts/build.ts (no TypeScript loaded at run time), with the
// command-line flags and the environment (glibc's MALLOC_* settings) Dockerfile.producer sets, so the RSS is the
// deployed one.
// Two record shapes: max-size transactions (~190 B, the default stream, anchored by ProducerPerformance's --record-size
// as in earlier runs) and ~1 KB social-network posts (the course's record size; streams/posts.yaml), anchored by
// ProducerPerformance sending the very same records (--payload-file), since gzip's ratio depends on the bytes. The posts
// run with their JSON Schema and, interleaved, without it: the schema's cost is set against the same stream.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTopic, deleteTopic, uniqueName } from '../../../test/stack/fixtures.ts';
import { endpoints } from '../../../test/stack/layout.ts';
import { requireJava17, resolveJars } from '../../../test/stack/prerequisites.ts';
import { freePort } from '../../../test/stack/processes.ts';
import { BATCH, drive, postBodies, transactionBodies } from './load.ts';
import type { Bodies, DriveResult } from './load.ts';
import { BENCHMARKS_DIR, machine as describeMachine, recordEntries } from '../../../bench/report.ts';
import { bundle } from '../../../scripts/build.ts';
import { imageCommand, imageEnv } from '../../../test/packaging/dockerfile.ts';
import type { BenchEntry } from '../../../bench/report.ts';
import { writeStreamFile } from '../src/testing/stream-file.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 12);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const SUSTAINED_RATE = 10_000;
const repo = join(import.meta.dirname, '..', '..', '..');
const DOCKERFILE = readFileSync(join(repo, 'Dockerfile.producer'), 'utf8');
const IMAGE_ENV = imageEnv(DOCKERFILE);
/** The image's command is `node <flags> <script>`: the flags are the deployed ones. */
const NODE_FLAGS = imageCommand(DOCKERFILE).slice(1, -1);
const IMAGE_SETTINGS = [
  ...Object.entries(IMAGE_ENV)
    .filter(([name]) => name !== 'NODE_ENV')
    .map(([name, value]) => `${name}=${value}`),
  'node',
  ...NODE_FLAGS,
].join(' ');
// Where the image puts the service's bundle (services/producer/dist), so that its packages resolve as in the image:
// the workspace's own node_modules first (ajv 8), then the root's.
const SERVER_DIR = join(repo, 'services', 'producer', 'dist', 'bench');
await bundle({ 'bench-server': join(import.meta.dirname, 'bench-server.ts') }, SERVER_DIR);

interface Producer {
  child: ChildProcess;
  base: string;
}

async function startProducer(writer: string, stream: StreamOverrides, compression: string, producers = 2): Promise<Producer> {
  const port = await freePort();
  const child = spawn(process.execPath, [...NODE_FLAGS, join(SERVER_DIR, 'bench-server.mjs')], {
    env: {
      ...process.env,
      ...IMAGE_ENV,
      BENCH_WRITER: writer,
      PRODUCER_PORT: String(port),
      PRODUCER_HOST: '127.0.0.1',
      PRODUCER_STREAM_FILE: writeStreamFile(stream),
      PRODUCER_COMPRESSION: compression,
      PRODUCER_LOG_LEVEL: 'warn',
      PRODUCER_MAX_INFLIGHT_RECORDS: '100000',
      PRODUCER_KAFKA_PRODUCERS: String(producers),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (
    let attempt = 0;
    !(await fetch(`${base}/readyz`).then(
      (r) => r.ok,
      () => false,
    ));
    attempt++
  ) {
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

interface Memory {
  /** VmRSS, MB: everything resident, the node binary's text pages included. */
  rss: number;
  /** RssAnon, MB: the process's own memory (heap, buffers, compiled code), what a cgroup cannot reclaim. */
  anon: number;
}

function memory(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
  return { rss: kb('VmRSS'), anon: kb('RssAnon') };
}

/** CPU time (user + system) in seconds: of a child from /proc, of this process from process.cpuUsage(). */
function cpuSeconds(pid?: number): number {
  if (pid === undefined) {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1e6;
  }
  const fields = (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

interface Measured extends DriveResult {
  /** CPU share during the run, 1 = one core. */
  producerCpu: number;
  loadCpu: number;
}

async function measured(
  producer: Producer,
  payloads: Buffer[],
  seconds: number,
  clients: number,
  rate?: number,
): Promise<Measured> {
  const pid = producer.child.pid as number;
  const [producerBefore, loadBefore, started] = [cpuSeconds(pid), cpuSeconds(), Date.now()];
  const result = await drive(producer.base, payloads, seconds, clients, rate);
  const wall = (Date.now() - started) / 1_000;
  return { ...result, producerCpu: (cpuSeconds(pid) - producerBefore) / wall, loadCpu: (cpuSeconds() - loadBefore) / wall };
}

type StreamOverrides = Record<string, unknown>;

interface Workload {
  label: string;
  bodies: Bodies;
  /** The stream file's fields (writeStreamFile: the transaction stream's where left out); the topic is the run's. */
  stream: StreamOverrides;
}

const POST_SCHEMA_FILE = join(repo, 'streams', 'schemas', 'post.schema.json');
const postStream = (schema: boolean): StreamOverrides => ({
  name: 'posts',
  key: 'user.id',
  schema: schema ? POST_SCHEMA_FILE : undefined,
});

async function httpPath(writer: string, compression: string, producers: number, workload: Workload): Promise<Measured> {
  const { payloads } = workload.bodies;
  const topic = await createTopic(uniqueName('bench_producer'), 3);
  const producer = await startProducer(writer, { ...workload.stream, topic }, compression, producers);
  try {
    await drive(producer.base, payloads, 2, CLIENTS);
    return await measured(producer, payloads, SECONDS, CLIENTS);
  } finally {
    await stopProducer(producer);
    await deleteTopic(topic).catch(() => undefined);
  }
}

type Compression = 'gzip' | 'none';

/** `payloadFile`: send these records (one per line) rather than random ones of `recordSize`. */
async function producerPerformance(
  recordSize: number,
  records: number,
  compression: Compression,
  payloadFile?: string,
): Promise<number> {
  // The broker does not auto-create topics, so ProducerPerformance's topic is made like the producer's: 3 partitions.
  const topicName = await createTopic(uniqueName('bench_pp'), 3);
  const run = (): ReturnType<typeof spawnSync> =>
    spawnSync(
      requireJava17(),
      [
        '-Xmx512m',
        '-cp',
        `${resolveJars('kafka')}/*`,
        'org.apache.kafka.tools.ProducerPerformance',
        '--topic',
        topicName,
        '--num-records',
        String(records),
        ...(payloadFile ? ['--payload-file', payloadFile] : ['--record-size', String(recordSize)]),
        '--throughput',
        '-1',
        '--producer-props',
        `bootstrap.servers=${endpoints.kafkaBrokers[0]}`,
        'acks=all',
        `compression.type=${compression}`,
        // The level the writer uses (kafkajs-patch.ts); Kafka's own default is zlib's 6.
        ...(compression === 'gzip' ? ['compression.gzip.level=1'] : []),
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
  const result = run();
  await deleteTopic(topicName).catch(() => undefined);
  const summary = String(result.stdout).trim().split('\n').at(-1) ?? '';
  const match = /records sent, ([\d.]+) records\/sec/.exec(summary);
  if (!match) throw new Error(`ProducerPerformance gave no summary: ${summary} ${String(result.stderr).slice(0, 500)}`);
  return Number(match[1]);
}

async function sustainedRss(workload: Workload): Promise<{ idle: Memory; peak: Memory; perSecond: number; producerCpu: number }> {
  const { payloads } = workload.bodies;
  const topic = await createTopic(uniqueName('bench_rss'), 3);
  const producer = await startProducer('kafkajs', { ...workload.stream, topic }, 'gzip');
  try {
    const pid = producer.child.pid as number;
    await sleep(2_000);
    const idle = memory(pid);
    const peak = { rss: 0, anon: 0 };
    const sampler = setInterval(() => {
      const now = memory(pid);
      peak.rss = Math.max(peak.rss, now.rss);
      peak.anon = Math.max(peak.anon, now.anon);
    }, 250);
    const result = await measured(producer, payloads, SECONDS, 4, SUSTAINED_RATE);
    clearInterval(sampler);
    return { idle, peak, perSecond: result.perSecond, producerCpu: result.producerCpu };
  } finally {
    await stopProducer(producer);
    await deleteTopic(topic).catch(() => undefined);
  }
}

const transactions: Workload = { label: 'transactions', bodies: transactionBodies(8), stream: {} };
const posts: Workload = { label: 'posts with schema', bodies: postBodies(8), stream: postStream(true) };
const postsUnchecked: Workload = { label: 'posts without schema', bodies: posts.bodies, stream: postStream(false) };
const postsPayloadFile = join(mkdtempSync(join(tmpdir(), 'bench-posts-')), 'posts.ndjson');
writeFileSync(postsPayloadFile, posts.bodies.lines);
const POST_ANCHOR_RECORDS = 400_000;
const recordBytes = transactions.bodies.recordBytes;
const postBytes = posts.bodies.recordBytes;

const machine = describeMachine();
const date = new Date().toISOString();
const command = 'npm run bench:producer';
const round = (value: number, digits = 0): number => Number(value.toFixed(digits));
const mb = (perSecond: number, bytes = recordBytes): number => round((perSecond * bytes) / 1e6, 1);
const percent = (share: number): string => `${Math.round(share * 100)}%`;
const previous = (name: string): BenchEntry | undefined => {
  const file = join(BENCHMARKS_DIR, 'producer.json');
  return existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as BenchEntry[]).find((entry) => entry.name === name)
    : undefined;
};

console.log(
  `records ${recordBytes} B (transactions) and ${postBytes} B (posts), batches of ${BATCH}, ${CLIENTS} clients, ${SECONDS} s per run, producer bundled, ${IMAGE_SETTINGS}`,
);
// On a shared 2-core machine the anchor alone swings by half between runs, so it is measured three times, interleaved
// with the main figures, and both are taken as medians.
const REPEATS = 3;
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const COMPRESSIONS: Compression[] = ['gzip', 'none'];
type Series = Record<Compression, number[]>;
type Runs = Record<Compression, Measured[]>;
const anchorRuns: Series = { gzip: [], none: [] };
const mainRuns: Runs = { gzip: [], none: [] };
const postAnchorRuns: Series = { gzip: [], none: [] };
const postRuns: Runs = { gzip: [], none: [] };
const uncheckedRuns: Measured[] = [];
for (let repeat = 0; repeat < REPEATS; repeat++) {
  for (const compression of COMPRESSIONS) {
    anchorRuns[compression].push(await producerPerformance(recordBytes, 2_000_000, compression));
    mainRuns[compression].push(await httpPath('kafkajs', compression, 2, transactions));
    postAnchorRuns[compression].push(await producerPerformance(postBytes, POST_ANCHOR_RECORDS, compression, postsPayloadFile));
    postRuns[compression].push(await httpPath('kafkajs', compression, 2, posts));
    if (compression === 'gzip') uncheckedRuns.push(await httpPath('kafkajs', compression, 2, postsUnchecked));
    console.log(
      `repeat ${repeat + 1}, compression ${compression}: ProducerPerformance ${round(anchorRuns[compression].at(-1)!)} rec/s, ` +
        `kafkajs ${round(mainRuns[compression].at(-1)!.perSecond)} rec/s; 1 KB: ProducerPerformance ` +
        `${round(postAnchorRuns[compression].at(-1)!)} rec/s, kafkajs ${round(postRuns[compression].at(-1)!.perSecond)} rec/s` +
        (compression === 'gzip' ? ` (without schema ${round(uncheckedRuns.at(-1)!.perSecond)} rec/s)` : ''),
    );
  }
}
const anchors: Record<Compression, number> = { gzip: median(anchorRuns.gzip), none: median(anchorRuns.none) };
const postAnchors: Record<Compression, number> = { gzip: median(postAnchorRuns.gzip), none: median(postAnchorRuns.none) };
const medianRun = (runs: Measured[]): Measured =>
  [...runs].sort((a, b) => a.perSecond - b.perSecond)[Math.floor(runs.length / 2)]!;
for (const compression of COMPRESSIONS) {
  console.log(
    `kafka ProducerPerformance, compression ${compression.padEnd(4)}  ${round(anchors[compression])} rec/s  ${mb(anchors[compression])} MB/s; ` +
      `1 KB posts ${round(postAnchors[compression])} rec/s  ${mb(postAnchors[compression], postBytes)} MB/s (medians of ${REPEATS})`,
  );
}
const anchorText = (compression: Compression, bytes: number, how: string): string =>
  `kafka ProducerPerformance (kafka-tools 4.1.1, acks=all, ${bytes} B records${how}, compression ${compression === 'gzip' ? 'gzip level 1' : 'none'}, same broker; median of ${REPEATS})`;
const runs: { name: string; writer: string; compression: Compression; producers: number; measured?: Measured }[] = [
  { name: 'producer.push_to_kafka', writer: 'kafkajs', compression: 'gzip', producers: 2, measured: medianRun(mainRuns.gzip) },
  {
    name: 'producer.push_to_kafka_uncompressed',
    writer: 'kafkajs',
    compression: 'none',
    producers: 2,
    measured: medianRun(mainRuns.none),
  },
  { name: 'producer.push_to_kafka_1_producer', writer: 'kafkajs', compression: 'gzip', producers: 1 },
  { name: 'producer.push_to_kafka_4_producers', writer: 'kafkajs', compression: 'gzip', producers: 4 },
  { name: 'producer.push_to_kafka_platformatic', writer: 'platformatic', compression: 'gzip', producers: 1 },
  { name: 'producer.push_to_kafka_platformatic_uncompressed', writer: 'platformatic', compression: 'none', producers: 1 },
];
const entries: BenchEntry[] = [];
for (const run of runs) {
  const result = run.measured ?? (await httpPath(run.writer, run.compression, run.producers, transactions));
  const anchor = anchors[run.compression];
  const ratio = round(result.perSecond / anchor, 2);
  const cpu = `CPU producer ${percent(result.producerCpu)} load generator ${percent(result.loadCpu)} of one core`;
  const pool = run.writer === 'kafkajs' ? `, ${run.producers} producer(s)` : '';
  const before = previous(run.name);
  const change = before?.ratio ? `  (previous ratio ${before.ratio}, ${before.date.slice(0, 10)})` : '';
  console.log(
    `${run.name.padEnd(48)} ${round(result.perSecond)} rec/s  ${mb(result.perSecond)} MB/s  ratio ${ratio}  non-2xx ${result.failures}  ${cpu}${change}`,
  );
  entries.push({
    name: run.name,
    value: round(result.perSecond),
    unit: 'rec/s',
    anchor: anchorText(run.compression, recordBytes, ''),
    anchorValue: round(anchor),
    ratio,
    goal: '>= 0.5 ratio and >= 100000 rec/s',
    met: ratio >= 0.5 && result.perSecond >= 100_000,
    machine,
    date,
    command: `${command}  # ${run.writer}${pool}, compression ${run.compression}${run.measured ? `, median of ${REPEATS}` : ''}, ${recordBytes} B records = ${mb(result.perSecond)} MB/s; ${cpu}`,
  });
}
const POST_GOALS: Record<Compression, number> = { gzip: 0.8, none: 0.6 };
for (const compression of COMPRESSIONS) {
  const result = medianRun(postRuns[compression]);
  const ratio = round(result.perSecond / postAnchors[compression], 2);
  const name = `producer.posts_1kb_push_to_kafka${compression === 'none' ? '_uncompressed' : ''}`;
  const cpu = `CPU producer ${percent(result.producerCpu)} load generator ${percent(result.loadCpu)} of one core`;
  console.log(
    `${name.padEnd(48)} ${round(result.perSecond)} rec/s  ${mb(result.perSecond, postBytes)} MB/s  ratio ${ratio}  non-2xx ${result.failures}  ${cpu}`,
  );
  entries.push({
    name,
    value: mb(result.perSecond, postBytes),
    unit: 'MB/s',
    anchor: anchorText(compression, postBytes, ', the same records via --payload-file'),
    anchorValue: mb(postAnchors[compression], postBytes),
    ratio,
    goal: `>= ${POST_GOALS[compression]} ratio in MB/s`,
    met: ratio >= POST_GOALS[compression],
    machine,
    date,
    command: `${command}  # kafkajs, 2 producer(s), streams/posts.yaml (JSON Schema checked), compression ${compression}, median of ${REPEATS}, ${postBytes} B records = ${round(result.perSecond)} rec/s; ${cpu}`,
  });
}
const checked = medianRun(postRuns.gzip).perSecond;
const unchecked = medianRun(uncheckedRuns).perSecond;
const schemaRatio = round(checked / unchecked, 2);
console.log(
  `producer.posts_1kb_schema_cost: with schema ${round(checked)} rec/s, without ${round(unchecked)} rec/s, ratio ${schemaRatio}`,
);
entries.push({
  name: 'producer.posts_1kb_schema_cost',
  value: round(checked),
  unit: 'rec/s',
  anchor: `the same stream without its schema, same run (median of ${REPEATS}, interleaved)`,
  anchorValue: round(unchecked),
  ratio: schemaRatio,
  goal: '>= 0.9 ratio (a schema costs at most 10 %)',
  met: schemaRatio >= 0.9,
  machine,
  date,
  command: `${command}  # kafkajs, 2 producer(s), gzip, ${postBytes} B posts, streams/schemas/post.schema.json compiled by Ajv`,
});

const rssEntry = (
  name: string,
  measured: Awaited<ReturnType<typeof sustainedRss>>,
  value: Memory,
  what: string,
  limit: number,
): BenchEntry => ({
  name,
  value: round(value.rss, 1),
  unit: 'MiB',
  anchor: 'offered rate (rec/s) acknowledged while measuring',
  anchorValue: round(measured.perSecond),
  ratio: null,
  goal: `<= ${limit} MiB at 10000 rec/s`,
  met: value.rss <= limit && measured.perSecond >= SUSTAINED_RATE * 0.95,
  machine,
  date,
  command: `${command}  # ${what}; bundled, ${IMAGE_SETTINGS}; anonymous (RssAnon) ${round(value.anon, 1)} MiB, the rest is the node binary's mapped text`,
});
for (const [workload, name, limit] of [
  [transactions, 'producer.rss_at_10k', 100],
  [posts, 'producer.rss_at_10k_1kb', 128],
] as const) {
  const rss = await sustainedRss(workload);
  console.log(
    `producer (${workload.label}) at ${round(rss.perSecond)} rec/s sustained: RSS ${round(rss.peak.rss, 1)} MiB peak (anonymous ${round(rss.peak.anon, 1)} MiB), ` +
      `idle ${round(rss.idle.rss, 1)} MiB (anonymous ${round(rss.idle.anon, 1)} MiB), CPU ${percent(rss.producerCpu)}`,
  );
  entries.push(
    rssEntry(
      name,
      rss,
      rss.peak,
      `peak VmRSS at 10000 rec/s of ${workload.bodies.recordBytes} B ${workload.label}, CPU ${percent(rss.producerCpu)} of one core`,
      limit,
    ),
  );
  if (workload === transactions) {
    entries.push({
      ...rssEntry('producer.rss_idle', rss, rss.idle, 'VmRSS idle after start-up', 100),
      anchor: null,
      anchorValue: null,
      goal: '<= 100 MiB',
      met: rss.idle.rss <= 100,
    });
  }
}
console.log(`recorded in ${recordEntries('producer', entries)}`);
