// Faults against the real stack: the consumer process SIGKILLed mid-batch, its HBase REST server killed for 60 s under
// load, and one of its two HBase REST servers SIGKILLed mid-run. What HBase holds is read with a raw REST scanner; every record is identified by its unique MONTO.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { createTopic, deleteTopic, testHBase, testKafka, uniqueName } from '../../../test/stack/fixtures.ts';
import { endpoints } from '../../../test/stack/layout.ts';
import { PrivateHBaseRest } from '../../../test/stack/private-hbase-rest.ts';
import { ConsumerService } from './consumer-service.ts';
import { enrichedRows, eventually, produce, seedDimensions, testConsumerConfig, transactions } from './integration-support.ts';

jest.setTimeout(300_000);

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
});

function startChild(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'main.ts')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  cleanup.push(async () => child.kill('SIGKILL'));
  return child;
}

const amounts = (rows: Map<string, Record<string, string>>): string[] =>
  [...rows.values()].map((cells) => cells['d:MONTO'] ?? '').sort();

describe('consumer under faults', () => {
  it('SIGKILL mid-batch, then a restart in the same group → exactly N rows, none missing, none extra', async () => {
    const dims = await seedDimensions(100, 10);
    const topic = await createTopic(uniqueName('tx'), 3);
    const enriched = uniqueName('ENRICHED');
    cleanup.push(
      () => deleteTopic(topic),
      () => deleteTopic(`${topic}.dlq`),
      () => testHBase().dropTable(enriched),
    );
    const sent = transactions(30_000, dims);
    await produce(topic, sent);
    const { env } = testConsumerConfig({
      topic,
      enriched,
      dims,
      sink: { batchIntervalMs: 200 },
      extra: { CONSUMER_MAX_BATCH_RECORDS: '1000' },
    });

    const first = startChild(env);
    await eventually(
      () => enrichedRows(enriched),
      (rows) => rows.size >= 3_000,
      60_000,
    );
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const atKill = (await enrichedRows(enriched)).size;
    expect(atKill).toBeLessThan(sent.length);

    startChild(env);
    const rows = await eventually(
      () => enrichedRows(enriched),
      (r) => r.size >= sent.length,
      120_000,
    );
    await sleep(3_000); // a duplicate written late would show up now
    const final = await enrichedRows(enriched);
    expect(final.size).toBe(sent.length);
    expect(amounts(final)).toEqual(sent.map((tx) => String(tx.MONTO)).sort());
    expect(rows.size).toBe(sent.length);
  });

  it('HBase REST killed for 60 s under load → not ready meanwhile, then recovers and catches up, nothing lost', async () => {
    const rest = await PrivateHBaseRest.start();
    cleanup.push(() => rest.kill());
    const dims = await seedDimensions(100, 10);
    const topic = await createTopic(uniqueName('tx'), 3);
    const enriched = uniqueName('ENRICHED');
    cleanup.push(
      () => deleteTopic(topic),
      () => deleteTopic(`${topic}.dlq`),
      () => testHBase().dropTable(enriched),
    );
    const sent = transactions(24_000, dims);
    const { config } = testConsumerConfig({ topic, enriched, dims, hbaseRestUrl: rest.url });
    const service = new ConsumerService(config, { log: () => undefined });
    cleanup.push(() => service.stop());
    await service.start();

    // Steady load: 200 records every 250 ms (800 rec/s) for 30 s, through the outage.
    let produced = 0;
    const load = (async () => {
      for (let start = 0; start < sent.length; start += 200) {
        await produce(topic, sent.slice(start, start + 200));
        produced = start + 200;
        await sleep(250);
      }
    })();
    await eventually(
      () => enrichedRows(enriched),
      (rows) => rows.size >= 2_000,
      60_000,
    );
    await rest.kill();
    const killedAt = Date.now();
    await eventually(
      async () => service.health().ready,
      (ready) => !ready,
      20_000,
    );
    const rowsDuringOutage = (await enrichedRows(enriched)).size;
    await sleep(Math.max(0, 60_000 - (Date.now() - killedAt)));
    expect((await enrichedRows(enriched)).size).toBe(rowsDuringOutage);
    expect(service.health().reasons.join()).toMatch(/HBase/);
    await rest.restart();
    await load;
    expect(produced).toBeGreaterThanOrEqual(sent.length);

    const rows = await eventually(
      () => enrichedRows(enriched),
      (r) => r.size >= sent.length,
      120_000,
    );
    expect(rows.size).toBe(sent.length);
    expect(amounts(rows)).toEqual(sent.map((tx) => String(tx.MONTO)).sort());
    await eventually(
      async () => service.health().ready,
      (ready) => ready,
      20_000,
    );
  });

  it('two HBase REST servers, one SIGKILLed mid-run → every row stored once, no offset committed ahead of HBase', async () => {
    const rest = await PrivateHBaseRest.start();
    cleanup.push(() => rest.kill());
    const dims = await seedDimensions(100, 10);
    const topic = await createTopic(uniqueName('tx'), 3);
    const enriched = uniqueName('ENRICHED');
    const groupId = uniqueName('group');
    cleanup.push(
      () => deleteTopic(topic),
      () => deleteTopic(`${topic}.dlq`),
      () => testHBase().dropTable(enriched),
    );
    const sent = transactions(40_000, dims);
    await produce(topic, sent);
    const { config } = testConsumerConfig({
      topic,
      enriched,
      dims,
      groupId,
      hbaseRestUrl: `${rest.url},${endpoints.hbaseRest}`,
      sink: { batchIntervalMs: 200 },
      extra: { CONSUMER_MAX_BATCH_RECORDS: '4000', CONSUMER_HBASE_PUT_CHUNK_ROWS: '250' },
    });
    const service = new ConsumerService(config, { log: () => undefined });
    cleanup.push(() => service.stop());

    const admin = testKafka().admin();
    await admin.connect();
    cleanup.push(() => admin.disconnect());
    const committed = async (): Promise<number> => {
      const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return (offsets?.partitions ?? []).reduce((sum, { offset }) => sum + Math.max(0, Number(offset)), 0);
    };
    // Every record makes one row of its own: the sum of committed offsets may never exceed the rows HBase holds.
    const checks: { committed: number; stored: number }[] = [];
    const check = async (): Promise<number> => {
      const before = await committed();
      const stored = (await enrichedRows(enriched)).size;
      checks.push({ committed: before, stored });
      return stored;
    };

    await service.start();
    await eventually(check, (stored) => stored >= 4_000, 60_000);
    await rest.kill();
    expect(checks.at(-1)!.stored).toBeLessThan(sent.length);
    const rows = await eventually(
      async () => {
        await check();
        return enrichedRows(enriched);
      },
      (r) => r.size >= sent.length,
      180_000,
    );
    await eventually(committed, (sum) => sum >= sent.length, 30_000);
    await check();
    expect(rows.size).toBe(sent.length);
    expect(amounts(rows)).toEqual(sent.map((tx) => String(tx.MONTO)).sort());
    expect(checks.length).toBeGreaterThan(2);
    expect(checks.filter(({ committed, stored }) => committed > stored)).toEqual([]);
    expect(checks.at(-1)).toEqual({ committed: sent.length, stored: sent.length });
  });
});
