// Admission over HTTP against the real Kafka: the per-client rate limit answers 429 with Retry-After, and a draining
// producer answers 503 with Retry-After and turns unready, while what it accepted before is stored.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { createTopic, deleteTopic, uniqueName } from '../../../test/stack/fixtures.ts';
import { loadConfig } from './config.ts';
import { createProducerApp } from './app.ts';
import type { ProducerApp } from './app.ts';
import { writeStreamFile } from './testing/stream-file.ts';

jest.setTimeout(60_000);

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function startProducer(env: Record<string, string>): Promise<{ app: ProducerApp; base: string }> {
  const topic = await createTopic(uniqueName('admission'));
  cleanups.push(() => deleteTopic(topic));
  const app = await createProducerApp(
    loadConfig({
      PRODUCER_PORT: '0',
      PRODUCER_HOST: '127.0.0.1',
      PRODUCER_STREAM_FILE: writeStreamFile({ topic }),
      PRODUCER_LOG_LEVEL: 'silent',
      ...env,
    }),
  );
  return { app, base: await app.start() };
}

async function post(base: string, token?: string): Promise<{ status: number; code: unknown; retryAfter: string | null }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const body = JSON.stringify([{ ID_PERSONA: 1, ID_EMPRESA: 2, MONTO: 3.5 }]);
  const response = await fetch(`${base}/v1/records`, { method: 'POST', headers, body });
  const json = (await response.json()) as { code?: unknown };
  return { status: response.status, code: json.code, retryAfter: response.headers.get('retry-after') };
}

describe('admission over HTTP', () => {
  it('answers 429 with Retry-After past the per-client rate, and admits the client again after it', async () => {
    // One token per 5 s: the five posts (each waiting for a Kafka ack) cannot earn a refill on a slow machine.
    const { app, base } = await startProducer({ PRODUCER_RATE_LIMIT_PER_SECOND: '0.2', PRODUCER_RATE_LIMIT_BURST: '3' });
    cleanups.push(() => app.shutdown());
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await post(base));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 429, 429]);
    expect(answers[3]).toMatchObject({ code: 'TORMENTA_RATE_LIMITED', retryAfter: expect.stringMatching(/^[1-9]\d*$/) });
    await sleep(Number(answers[4]?.retryAfter) * 1_000);
    expect((await post(base)).status).toBe(200);
    expect((await app.metrics.rejected.get()).values).toContainEqual(
      expect.objectContaining({ labels: { reason: 'rate_limited' }, value: 2 }),
    );
  });

  it('answers 503 with Retry-After and is unready while draining', async () => {
    const { app, base } = await startProducer({ PRODUCER_DRAIN_DELAY_MS: '1500' });
    expect((await post(base)).status).toBe(200);
    const shutdown = app.shutdown();
    await sleep(300);
    const refused = await post(base);
    expect(refused).toEqual({ status: 503, code: 'TORMENTA_DRAINING', retryAfter: '1' });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { code: string }).code).toBe('TORMENTA_DRAINING');
    await shutdown;
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });
});
