// http-poll and html-scrape against real HTTP servers on 127.0.0.1, two replicas sharing a lease file, the real Kafka:
// every item is delivered exactly once, also across a hand-over from one replica to the other.
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { createTopic, deleteTopic, uniqueName } from '../../../../test/stack/fixtures.ts';
import { endpoints } from '../../../../test/stack/layout.ts';
import { createProducerApp } from '../app.ts';
import type { ProducerApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { readTopic } from '../testing/topic-reader.ts';
import { writeStreamFile } from '../testing/stream-file.ts';

jest.setTimeout(90_000);

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function twoReplicas(env: Record<string, string>): Promise<ProducerApp[]> {
  const leaseFile = join(mkdtempSync(join(tmpdir(), 'producer-lease-')), 'lease.json');
  const replicas: ProducerApp[] = [];
  for (const identity of ['replica-a', 'replica-b']) {
    const app = await createProducerApp(
      loadConfig({
        ...env,
        PRODUCER_PORT: '0',
        PRODUCER_HOST: '127.0.0.1',
        PRODUCER_LOG_LEVEL: 'silent',
        PRODUCER_LEASE_MODE: 'file',
        PRODUCER_LEASE_FILE: leaseFile,
        PRODUCER_LEASE_IDENTITY: identity,
        PRODUCER_LEASE_DURATION_MS: '3000',
        PRODUCER_LEASE_RENEW_MS: '200',
      }),
    );
    await app.start();
    replicas.push(app);
  }
  return replicas;
}

function offered(app: ProducerApp): Promise<number> {
  return app.metrics.received.get().then((metric) => metric.values.reduce((sum, value) => sum + value.value, 0));
}

describe('pull sources with two replicas', () => {
  it('http-poll stores each polled value exactly once, across a hand-over', async () => {
    const topic = await createTopic(uniqueName('poll'));
    cleanups.push(() => deleteTopic(topic));
    const served: number[] = [];
    let next = 0;
    const api = createServer((_request, response) => {
      // The value changes per call, like the ISS position: two records per answer.
      const items = [next, next + 1].map((n) => ({ ID_PERSONA: n, ID_EMPRESA: 7, MONTO: n / 4 }));
      served.push(next, next + 1);
      next += 2;
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ data: { items } }));
    });
    const url = await listen(api);
    cleanups.push(() => new Promise((resolve) => api.close(resolve)));

    const [a, b] = await twoReplicas({
      PRODUCER_STREAM_FILE: writeStreamFile({
        topic,
        source: { kind: 'http-poll', url: `${url}/now`, recordsPath: 'data.items', intervalMs: 50 },
      }),
    });
    await sleep(1_500);
    const [leader, standby] = (await offered(a!)) > 0 ? [a!, b!] : [b!, a!];
    expect(await offered(standby)).toBe(0);
    await leader.shutdown();
    const servedByFirst = served.length;
    await sleep(1_500);
    await standby.shutdown();
    expect(served.length).toBeGreaterThan(servedByFirst);
    expect(await offered(standby)).toBeGreaterThan(0);

    const stored = await readTopic(endpoints.kafkaBrokers, topic, served.length);
    expect(stored.map((record) => record.ID_PERSONA).sort((x, y) => Number(x) - Number(y))).toEqual(served);
    for (const record of stored) expect(record).toMatchObject({ ID_EMPRESA: 7, MONTO: Number(record.ID_PERSONA) / 4 });
  });

  it.each([
    ['answers 304 to If-None-Match', 'etag'],
    ['sends the same body again (skipUnchanged)', 'same-body'],
  ] as const)('http-poll stores an unchanged answer once when the API %s', async (_name, api) => {
    const topic = await createTopic(uniqueName('poll_unchanged'));
    cleanups.push(() => deleteTopic(topic));
    let requests = 0;
    let notModified = 0;
    const conditional: string[] = [];
    const server = createServer((request, response) => {
      // A new value every fourth request; the ones between repeat it.
      const version = Math.floor(requests++ / 4);
      const etag = `"v${version}"`;
      const ifNoneMatch = request.headers['if-none-match'];
      if (typeof ifNoneMatch === 'string') conditional.push(ifNoneMatch);
      if (api === 'etag' && ifNoneMatch === etag) {
        notModified += 1;
        response.statusCode = 304;
        response.end();
        return;
      }
      if (api === 'etag') response.setHeader('etag', etag);
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ ID_PERSONA: version, ID_EMPRESA: 1, MONTO: 1, id: `v${version}` }));
    });
    const url = await listen(server);
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const [a, b] = await twoReplicas({
      PRODUCER_STREAM_FILE: writeStreamFile({
        topic,
        source: { kind: 'http-poll', url, intervalMs: 40, skipUnchanged: api === 'same-body' },
      }),
    });
    await sleep(1_500);
    await a!.shutdown();
    await b!.shutdown();
    // Each version was answered four times; every version the producer stored is there once, in order from v0
    // (a version whose first answer was cut off by the shutdown may be missing at the end, never in between).
    const answered = Math.floor((requests - 1) / 4) + 1;
    const stored = await readTopic(endpoints.kafkaBrokers, topic, answered);
    const ids = stored.map((record) => String(record.id));
    expect(ids.length).toBeGreaterThan(3);
    expect(ids.length).toBeGreaterThanOrEqual(answered - 1);
    expect([...ids].sort((x, y) => Number(x.slice(1)) - Number(y.slice(1)))).toEqual(
      Array.from({ length: ids.length }, (_, v) => `v${v}`),
    );
    if (api === 'etag') {
      expect(notModified).toBeGreaterThan(ids.length);
      expect(conditional).toContain('"v0"');
    }
  });

  it('html-scrape stores every item of pages 1..6 exactly once, across a hand-over', async () => {
    const topic = await createTopic(uniqueName('scrape'));
    cleanups.push(() => deleteTopic(topic));
    const requests: number[] = [];
    const site = createServer((request, response) => {
      const page = Number(new URL(request.url ?? '/', 'http://x').searchParams.get('page'));
      requests.push(page);
      const items = [0, 1, 2, 3]
        .map((i) => `<li class="tx"><span class="p">${page * 100 + i}</span><span class="e">${page}</span><em>${i}.25</em></li>`)
        .join('');
      response.setHeader('content-type', 'text/html');
      response.end(`<html><body><h1>page ${page}</h1><ul>${items}</ul></body></html>`);
    });
    const url = await listen(site);
    cleanups.push(() => new Promise((resolve) => site.close(resolve)));

    const [a, b] = await twoReplicas({
      PRODUCER_STREAM_FILE: writeStreamFile({
        topic,
        source: {
          kind: 'html-scrape',
          urlTemplate: `${url}/list?page={page}`,
          firstPage: 1,
          lastPage: 6,
          itemSelector: 'li.tx',
          fields: { ID_PERSONA: '.p', ID_EMPRESA: '.e', MONTO: 'em' },
          // Six pages take the leader ≥ 2.5 s, so it is stopped mid-listing and the standby has pages left to take over.
          intervalMs: 500,
        },
      }),
    });
    const leaderSeen = Date.now() + 20_000;
    while ((await offered(a!)) + (await offered(b!)) === 0 && Date.now() < leaderSeen) await sleep(50);
    const [leader, standby] = (await offered(a!)) > 0 ? [a!, b!] : [b!, a!];
    await leader.shutdown();
    const deadline = Date.now() + 20_000;
    while ((await offered(standby)) + (await offered(leader)) < 24 && Date.now() < deadline) await sleep(100);
    await sleep(800);
    await standby.shutdown();
    expect(await offered(leader)).toBeGreaterThan(0);
    expect(await offered(standby)).toBeGreaterThan(0);

    const stored = await readTopic(endpoints.kafkaBrokers, topic, 24);
    const expected = [1, 2, 3, 4, 5, 6].flatMap((page) => [0, 1, 2, 3].map((i) => page * 100 + i));
    expect(stored.map((record) => record.ID_PERSONA).sort((x, y) => Number(x) - Number(y))).toEqual(expected);
    for (const record of stored) {
      expect(record.ID_EMPRESA).toBe(Math.floor(Number(record.ID_PERSONA) / 100));
      expect(record.MONTO).toBe((Number(record.ID_PERSONA) % 100) + 0.25);
    }
    expect([...requests].sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
