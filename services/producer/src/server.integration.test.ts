// POST /v1/records against the real Kafka: what got a 2xx is in the topic with the same content; every bad-input class
// gets its status and body, and the server keeps serving.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { KafkajsWriter } from '@tormenta/kafka';
import type { OutgoingMessage } from '@tormenta/kafka';
import { createTopic, deleteTopic, uniqueName } from '../../../test/stack/fixtures.ts';
import { endpoints } from '../../../test/stack/layout.ts';
import { createProducerApp } from './app.ts';
import type { ProducerApp } from './app.ts';
import { loadConfig } from './config.ts';
import { readTopic } from './testing/topic-reader.ts';
import { writeStreamFile } from './testing/stream-file.ts';

jest.setTimeout(60_000);

const TOKEN = 'a-test-token-of-enough-length';

function transactions(count: number, start = 0): { ID_PERSONA: number; ID_EMPRESA: number; MONTO: number }[] {
  return Array.from({ length: count }, (_, i) => ({
    ID_PERSONA: start + i,
    ID_EMPRESA: (start + i) % 97,
    MONTO: (start + i) * 1.5,
  }));
}

async function post(
  base: string,
  body: string,
  contentType = 'application/json',
  token: string | null = TOKEN,
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const headers: Record<string, string> = { 'content-type': contentType };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${base}/v1/records`, { method: 'POST', headers, body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers: response.headers };
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not reached in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('POST /v1/records on the real Kafka', () => {
  let topic: string;
  let app: ProducerApp;
  let base: string;
  let gate: Promise<void> | undefined;
  const realWriter = () =>
    new KafkajsWriter({ brokers: endpoints.kafkaBrokers, clientId: uniqueName('producer'), topic, compression: 'gzip' });

  beforeAll(async () => {
    topic = await createTopic(uniqueName('ingest'));
    const writer = realWriter();
    app = await createProducerApp(
      loadConfig({
        PRODUCER_PORT: '0',
        PRODUCER_HOST: '127.0.0.1',
        PRODUCER_STREAM_FILE: writeStreamFile({ topic }),
        PRODUCER_LOG_LEVEL: 'silent',
        PRODUCER_MAX_RECORDS_PER_REQUEST: '1000',
        PRODUCER_MAX_BODY_BYTES: '200000',
        PRODUCER_MAX_INFLIGHT_RECORDS: '1000',
        PRODUCER_AUTH_TOKEN: TOKEN,
      }),
      {
        // The real writer, held back on demand so a test can keep a request in flight.
        writer: {
          get available() {
            return writer.available;
          },
          close: () => writer.close(),
          write: async (messages: OutgoingMessage[]) => {
            if (gate) await gate;
            return writer.write(messages);
          },
        },
      },
    );
    base = await app.start();
  });

  afterAll(async () => {
    await app.shutdown();
    await deleteTopic(topic);
  });

  it('stores every acknowledged record with the same content (JSON array and NDJSON)', async () => {
    const sent = [...transactions(500, 0), ...transactions(300, 1_000)];
    const first = await post(base, JSON.stringify(sent.slice(0, 500)));
    const second = await post(
      base,
      sent
        .slice(500)
        .map((record) => JSON.stringify({ ...record, id: `client-${record.ID_PERSONA}` }))
        .join('\n'),
      'application/x-ndjson',
    );
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(first.body.accepted).toBe(500);
    const ids = [...(first.body.ids as string[]), ...(second.body.ids as string[])];
    expect(ids.slice(500)).toEqual(sent.slice(500).map((record) => `client-${record.ID_PERSONA}`));

    const stored = await readTopic(endpoints.kafkaBrokers, topic, 800);
    expect(stored).toHaveLength(800);
    const byId = new Map(stored.map((record) => [record.id, record]));
    sent.forEach((record, index) => expect(byId.get(ids[index])).toEqual({ ...record, id: ids[index] }));
  });

  it.each([
    [
      'invalid fields',
      () =>
        post(
          base,
          JSON.stringify([
            { ID_PERSONA: 1, ID_EMPRESA: 2, MONTO: 3 },
            { ID_PERSONA: 'x', MONTO: 1 },
          ]),
        ),
      400,
      'TORMENTA_INVALID_RECORDS',
    ],
    ['not JSON', () => post(base, '[{"ID_PERSONA":'), 400, 'TORMENTA_MALFORMED_BODY'],
    ['not an array', () => post(base, '{"ID_PERSONA":1}'), 400, 'TORMENTA_MALFORMED_BODY'],
    [
      'bad NDJSON line',
      () => post(base, '{"ID_PERSONA":1,"ID_EMPRESA":1,"MONTO":1}\n{x', 'application/x-ndjson'),
      400,
      'TORMENTA_MALFORMED_BODY',
    ],
    ['no token', () => post(base, JSON.stringify(transactions(1)), 'application/json', null), 401, 'TORMENTA_UNAUTHORIZED'],
    [
      'wrong token',
      () => post(base, JSON.stringify(transactions(1)), 'application/json', 'x'.repeat(TOKEN.length)),
      401,
      'TORMENTA_UNAUTHORIZED',
    ],
    [
      'body too large',
      () => post(base, JSON.stringify(transactions(10)) + ' '.repeat(250_000)),
      413,
      'TORMENTA_PAYLOAD_TOO_LARGE',
    ],
    ['too many records', () => post(base, JSON.stringify(transactions(1_001))), 413, 'TORMENTA_TOO_MANY_RECORDS'],
    ['other content type', () => post(base, 'ID_PERSONA=1', 'text/csv'), 415, 'TORMENTA_UNSUPPORTED_MEDIA_TYPE'],
  ])('%s gets its status and code, and the next valid request succeeds', async (_name, send, status, code) => {
    const response = await send();
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ statusCode: status, code, error: expect.any(String), message: expect.any(String) });
    if (code === 'TORMENTA_INVALID_RECORDS') {
      const details = response.body.details as unknown[];
      expect(details).toHaveLength(2);
      expect(details).toEqual(
        expect.arrayContaining([
          { index: 1, pointer: '/', message: "must have required property 'ID_EMPRESA': ID_EMPRESA" },
          { index: 1, pointer: '/ID_PERSONA', message: 'must be integer' },
        ]),
      );
    }
    expect((await post(base, JSON.stringify(transactions(2)))).status).toBe(200);
  });

  it('answers 429 with Retry-After while the in-flight buffer is full, then accepts again', async () => {
    let open: () => void = () => {};
    gate = new Promise((resolve) => (open = resolve));
    const held = post(base, JSON.stringify(transactions(800)));
    await waitFor(async () => (await app.metrics.inflight.get()).values[0]?.value === 800);
    const refused = await post(base, JSON.stringify(transactions(300)));
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('TORMENTA_BACKPRESSURE');
    expect(refused.headers.get('retry-after')).toBe('1');
    gate = undefined;
    open();
    expect((await held).status).toBe(200);
    expect((await post(base, JSON.stringify(transactions(300)))).status).toBe(200);
  });

  it('serves healthz, readyz and the §7 metrics', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    for (const name of [
      'ingest_records_received_total',
      'ingest_records_accepted_total',
      'ingest_records_rejected_total',
      'produce_records_total',
      'produce_bytes_total',
      'produce_latency_seconds',
      'ingest_inflight_records',
    ]) {
      expect(metrics).toContain(`tormenta_${name}`);
    }
    expect(metrics).toMatch(/tormenta_ingest_records_rejected_total\{reason="invalid"\} [1-9]/);
    expect(metrics).toMatch(/tormenta_ingest_records_rejected_total\{reason="backpressure"\} 300/);
  });
});

describe('when Kafka cannot be reached', () => {
  it('is not ready and answers 503 with Retry-After, staying up', async () => {
    const app = await createProducerApp(
      loadConfig({
        PRODUCER_PORT: '0',
        PRODUCER_HOST: '127.0.0.1',
        PRODUCER_KAFKA_BROKERS: '127.0.0.1:1',
        PRODUCER_LOG_LEVEL: 'silent',
      }),
    );
    const base = await app.start();
    try {
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(503);
      const response = await post(
        base,
        JSON.stringify([...transactions(2), { ...transactions(1)[0], id: 'client-id' }]),
        'application/json',
        null,
      );
      expect(response.status).toBe(503);
      expect(response.body.code).toBe('TORMENTA_KAFKA_UNAVAILABLE');
      // The ids to resend with, in request order; a client-supplied id is kept.
      const ids = (response.body.details as { ids: string[] }).ids;
      expect(ids).toHaveLength(3);
      expect(ids[2]).toBe('client-id');
      expect(new Set(ids).size).toBe(3);
      expect(response.body.message).toMatch(/details\.ids/);
      expect(response.headers.get('retry-after')).toBe('1');
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
    } finally {
      await app.shutdown();
    }
  });
});

describe('per-client rate limit', () => {
  let topic: string;
  let app: ProducerApp;
  let base: string;

  beforeAll(async () => {
    topic = await createTopic(uniqueName('ratelimit'));
    app = await createProducerApp(
      loadConfig({
        PRODUCER_PORT: '0',
        PRODUCER_HOST: '127.0.0.1',
        PRODUCER_STREAM_FILE: writeStreamFile({ topic }),
        PRODUCER_LOG_LEVEL: 'silent',
        PRODUCER_RATE_LIMIT_PER_SECOND: '0.01',
        PRODUCER_RATE_LIMIT_BURST: '2',
      }),
    );
    base = await app.start();
  });

  afterAll(async () => {
    await app.shutdown();
    await deleteTopic(topic);
  });

  it('cannot be bypassed by sending a different unverified Authorization header with each request', async () => {
    const statuses: number[] = [];
    for (const token of ['one', 'two', 'three', null])
      statuses.push((await post(base, JSON.stringify(transactions(1)), 'application/json', token)).status);
    expect(statuses).toEqual([200, 200, 429, 429]);
  });
});

describe('a pull source whose runner dies', () => {
  it('fails /healthz so that the pod is restarted', async () => {
    const app = await createProducerApp(
      loadConfig({
        PRODUCER_PORT: '0',
        PRODUCER_HOST: '127.0.0.1',
        PRODUCER_KAFKA_BROKERS: '127.0.0.1:1',
        PRODUCER_LOG_LEVEL: 'silent',
        PRODUCER_LEASE_MODE: 'none',
      }),
      {
        // A source bug: a batch without an items array throws outside every retry of the runner.
        source: {
          kind: 'pull',
          name: 'broken-pull',
          intervalMs: 10,
          read: async () => ({ items: null as unknown as unknown[] }),
        },
      },
    );
    const base = await app.start();
    try {
      let response = await fetch(`${base}/healthz`);
      const deadline = Date.now() + 10_000;
      while (response.status === 200 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        response = await fetch(`${base}/healthz`);
      }
      expect(response.status).toBe(500);
      const body = (await response.json()) as Record<string, unknown>;
      expect(body.code).toBe('TORMENTA_PULL_SOURCE_STOPPED');
      expect(body.message).toMatch(/broken-pull/);
    } finally {
      await app.shutdown();
    }
  });
});
