// file-sample end to end: the seed's emulated source samples data/transacciones.json every interval, and what the
// producer counts as accepted is exactly what the topic holds, each record one of the file's transactions.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { createTopic, deleteTopic, uniqueName } from '../../../../test/stack/fixtures.ts';
import { endpoints, repoRoot } from '../../../../test/stack/layout.ts';
import { createProducerApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { readTopic } from '../testing/topic-reader.ts';
import { writeStreamFile } from '../testing/stream-file.ts';

jest.setTimeout(90_000);

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const fingerprint = (record: Record<string, unknown>): string => `${record.ID_PERSONA}/${record.ID_EMPRESA}/${record.MONTO}`;

describe('file-sample source', () => {
  it('stores N sampled transactions every interval, each one of the file, each accepted one once', async () => {
    const file = join(repoRoot, 'data', 'transacciones.json');
    const pool = new Set((JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>[]).map(fingerprint));
    const topic = await createTopic(uniqueName('sample'));
    cleanups.push(() => deleteTopic(topic));
    const app = await createProducerApp(
      loadConfig({
        PRODUCER_LEASE_MODE: 'none',
        PRODUCER_PORT: '0',
        PRODUCER_HOST: '127.0.0.1',
        PRODUCER_STREAM_FILE: writeStreamFile({ topic, source: { kind: 'file-sample', file, count: 25, intervalMs: 200 } }),
        PRODUCER_LOG_LEVEL: 'silent',
      }),
    );
    await app.start();
    const acceptedSoFar = async () => (await app.metrics.accepted.get()).values.reduce((sum, value) => sum + value.value, 0);
    const deadline = Date.now() + 20_000;
    while ((await acceptedSoFar()) < 100 && Date.now() < deadline) await sleep(100);
    await app.shutdown();
    const accepted = await acceptedSoFar();

    expect(accepted).toBeGreaterThanOrEqual(100);
    expect(accepted % 25).toBe(0);
    const stored = await readTopic(endpoints.kafkaBrokers, topic, accepted);
    expect(stored).toHaveLength(accepted);
    expect(new Set(stored.map((record) => record.id)).size).toBe(accepted);
    expect(stored.filter((record) => !pool.has(fingerprint(record)))).toEqual([]);
  });
});
