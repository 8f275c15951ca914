// The three Dockerfiles, built without a Docker engine (dockerfile.ts runs their steps) and started the way their
// containers start: as uid 1000 on a read-only tree. Producer and consumer run for real against the local stack; every
// image also shows that its configuration is validated (which needs all of its imports to load).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FAMILY } from '@tormenta/hbase';
import { createTopic, deleteTopic, testHBase } from '../stack/fixtures.ts';
import { endpoints } from '../stack/layout.ts';
import { buildImage, parseDockerfile } from './dockerfile.ts';
import type { BuiltImage } from './dockerfile.ts';
import { freePort } from '../stack/processes.ts';
import { installNode, makeReadOnly, startImage, waitForHttp } from './image-run.ts';

const repo = resolve(import.meta.dirname, '..', '..');
const node24 = join(repo, 'scripts', 'node24.sh');
const nodeBinary = execFileSync(node24, ['node', '-p', 'process.execPath'], { encoding: 'utf8' }).trim();
const suffix = randomBytes(4).toString('hex');

interface Built {
  image: BuiltImage;
  node: string;
  tmp: string;
}

let workDir: string;
const images = new Map<string, Built>();

function build(service: string): Built {
  const outDir = join(workDir, service);
  const image = buildImage({
    dockerfile: join(repo, `Dockerfile.${service}`),
    contextDir: repo,
    outDir,
    runner: [node24],
    // The npm cache of this machine stands in for the registry round-trips of a Docker build.
    runEnv: { npm_config_prefer_offline: 'true' },
  });
  const node = installNode(image, nodeBinary);
  makeReadOnly(image.root);
  const tmp = mkdtempSync(join(workDir, `${service}-tmp-`));
  chmodSync(tmp, 0o777);
  return { image, node, tmp };
}

function workspaceDeps(service: string, seen = new Set<string>()): Set<string> {
  const manifest = JSON.parse(readFileSync(join(repo, 'services', service, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  for (const name of Object.keys(manifest.dependencies ?? {})) {
    if (!name.startsWith('@tormenta/')) continue;
    const dir = name.slice('@tormenta/'.length);
    if (!seen.has(dir)) workspaceDeps(dir, seen.add(dir));
  }
  return seen;
}

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'tormenta-images-'));
  chmodSync(workDir, 0o755);
  for (const service of ['producer', 'consumer', 'autoscaler']) images.set(service, build(service));
}, 600_000);

afterAll(() => {
  if (workDir) execFileSync('chmod', ['-R', 'u+w', workDir]);
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe.each(['producer', 'consumer', 'autoscaler'])('Dockerfile.%s', (service) => {
  const text = () => readFileSync(join(repo, `Dockerfile.${service}`), 'utf8');

  it('is multi-stage on Node 24, installs production dependencies only, and runs as a numeric non-root user', () => {
    const stages = parseDockerfile(text());
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage.base).toMatch(/^node:24(\.|-|$)/);
    const runs = stages.flatMap((stage) => stage.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args));
    expect(runs.some((run) => run.includes('npm ci') && run.includes('--omit=dev'))).toBe(true);
    expect(stages.at(-1)!.instructions.some((i) => i.keyword === 'RUN')).toBe(false);
    expect(images.get(service)!.image.user).toMatch(/^[1-9]\d*(:\d+)?$/);
  });

  it('copies every workspace the service depends on, and nothing from test/', () => {
    const copied = new Set([...text().matchAll(/^COPY\s+services\/([a-z-]+)\/src\s/gm)].map((match) => match[1]!));
    expect(copied).toEqual(new Set([service, ...workspaceDeps(service)]));
    expect(text()).not.toMatch(/^COPY\s+test\//m);
  });

  it('runs its bundle (scripts/build.ts): no TypeScript of ours in the image, so Node never loads its type stripper', () => {
    const { root, command } = images.get(service)!.image;
    expect(command.at(-1)).toBe(`services/${service}/dist/main.mjs`);
    const sources = execFileSync('find', [root, '-path', '*/node_modules', '-prune', '-o', '-name', '*.ts', '-print'], {
      encoding: 'utf8',
    });
    expect(sources.trim()).toBe('');
  });

  it('ships none of our test files', () => {
    const root = images.get(service)!.image.root;
    const files = execFileSync('find', [root, '-path', '*/node_modules', '-prune', '-o', '-name', '*.test.ts', '-print'], {
      encoding: 'utf8',
    });
    expect(files.trim()).toBe('');
  });
});

describe('the built images run', () => {
  it('producer: rejects a bad setting by name', async () => {
    const { image, node, tmp } = images.get('producer')!;
    const started = startImage(image, node, { PRODUCER_PORT: 'eighty', PRODUCER_LEASE_MODE: 'none' }, tmp);
    expect(await started.exit).toBe(2);
    expect(started.output()).toMatch(/PRODUCER_PORT: /);
  });

  it('producer: serves, writes a pushed record to the local Kafka, and drains on SIGTERM', async () => {
    const { image, node, tmp } = images.get('producer')!;
    const port = await freePort();
    // The image's own transaction stream, on a topic of this test's: its schema is read from the image.
    const shipped = readFileSync(join(image.root, image.workdir, 'streams/transacciones.yaml'), 'utf8');
    const streamFile = join(tmp, 'stream.yaml');
    writeFileSync(
      streamFile,
      shipped
        .replace('topic: topic_transaccion', `topic: packaging_${suffix}`)
        .replace('schema: schemas/', `schema: ${join(image.root, image.workdir, 'streams/schemas/')}`),
    );
    const started = startImage(
      image,
      node,
      {
        PRODUCER_HOST: '127.0.0.1',
        PRODUCER_PORT: String(port),
        PRODUCER_KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
        PRODUCER_STREAM_FILE: streamFile,
        PRODUCER_TOPIC_PARTITIONS: '1',
        PRODUCER_LEASE_MODE: 'none',
      },
      tmp,
    );
    try {
      await waitForHttp(`http://127.0.0.1:${port}/readyz`, started);
      const response = await fetch(`http://127.0.0.1:${port}/v1/records`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([{ ID_PERSONA: 1, ID_EMPRESA: 1, MONTO: 10.5 }]),
      });
      expect(response.status).toBeLessThan(300);
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toMatch(/tormenta_ingest_records_accepted_total\{source="[^"]+"\} 1/);
    } finally {
      started.child.kill('SIGTERM');
    }
    expect(await started.exit).toBe(0);
  });

  it('consumer: rejects a missing HBase URL by name', async () => {
    const { image, node, tmp } = images.get('consumer')!;
    const started = startImage(image, node, { CONSUMER_KAFKA_BROKERS: '127.0.0.1:9092' }, tmp);
    expect(await started.exit).toBe(2);
    expect(started.output()).toContain('CONSUMER_HBASE_REST_URL');
  });

  /** The image's own transactions sink (which proves it ships sinks/), on a topic and tables of this test's. */
  function shippedSink(tmp: string, image: { root: string; workdir: string }, tables: Record<string, string>): string {
    let text = readFileSync(join(image.root, image.workdir, 'sinks/transacciones.yaml'), 'utf8')
      .replace('topic: topic_transaccion', `topic: packaging_${suffix}`)
      .replace('group: tormenta-enrich-1s', `group: packaging-${suffix}`);
    for (const [from, to] of Object.entries(tables)) text = text.replace(`table: ${from}\n`, `table: ${to}\n`);
    const file = join(tmp, `sink-${Object.values(tables).join('-')}.yaml`);
    writeFileSync(file, text);
    return file;
  }

  it('consumer: refuses to start without its lookup tables, naming the field of the sink file (exit 2)', async () => {
    const { image, node, tmp } = images.get('consumer')!;
    const missing = `PKG_NO_PERSONA_${suffix}`;
    const sinkFile = shippedSink(tmp, image, { PERSONA: missing });
    const started = startImage(
      image,
      node,
      {
        CONSUMER_KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
        CONSUMER_SINK_FILE: sinkFile,
        CONSUMER_HBASE_REST_URL: endpoints.hbaseRest,
        CONSUMER_HTTP_HOST: '127.0.0.1',
        CONSUMER_HTTP_PORT: String(await freePort()),
      },
      tmp,
    );
    expect(await started.exit).toBe(2);
    expect(started.output()).toContain(`${missing} (${sinkFile}: /lookups/0/table)`);
  });

  it('consumer: joins its group on the local Kafka, answers /healthz and /metrics, and stops on SIGTERM', async () => {
    const { image, node, tmp } = images.get('consumer')!;
    const port = await freePort();
    // Its own tables: the consumer refuses to start without its lookup tables, and writes nothing to the stack's.
    const tables = {
      PERSONA: `PKG_PERSONA_${suffix}`,
      EMPRESA: `PKG_EMPRESA_${suffix}`,
      TRANSACCION_ENRIQUECIDA: `PKG_ENRICHED_${suffix}`,
    };
    for (const table of [tables.PERSONA, tables.EMPRESA]) await testHBase().ensureTable(table, [FAMILY]);
    await createTopic(`packaging_${suffix}`, 1);
    const started = startImage(
      image,
      node,
      {
        CONSUMER_KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
        CONSUMER_SINK_FILE: shippedSink(tmp, image, tables),
        CONSUMER_HBASE_REST_URL: endpoints.hbaseRest,
        CONSUMER_HTTP_HOST: '127.0.0.1',
        CONSUMER_HTTP_PORT: String(port),
      },
      tmp,
    );
    try {
      await waitForHttp(`http://127.0.0.1:${port}/healthz`, started);
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toContain('tormenta_consumer_batch_duration_seconds');
      expect(metrics).toContain(`group="packaging-${suffix}"`);
      // Ready once it joined its group, which start-up does after creating the sink's table.
      await waitForHttp(`http://127.0.0.1:${port}/readyz`, started);
      expect(await testHBase().tableExists(tables.TRANSACCION_ENRIQUECIDA)).toBe(true);
    } finally {
      started.child.kill('SIGTERM');
      await started.exit;
      for (const table of Object.values(tables)) await testHBase().dropTable(table);
      await deleteTopic(`packaging_${suffix}`).catch(() => undefined);
      await deleteTopic(`packaging_${suffix}.dlq`).catch(() => undefined);
    }
    expect(await started.exit).toBe(0);
  });

  it('autoscaler: rejects a bad setting by name', async () => {
    const { image, node, tmp } = images.get('autoscaler')!;
    const started = startImage(image, node, { AUTOSCALER_HTTP_PORT: 'ninety' }, tmp);
    expect(await started.exit).toBe(1);
    expect(started.output()).toContain('AUTOSCALER_HTTP_PORT');
  });
});
