// The consumer against the real stack: records into Kafka, enriched rows read back through a raw HBase REST scanner, dead
// letters read back from the DLQ topic.
import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { createTopic, deleteTopic, testHBase, uniqueName } from '../../../test/stack/fixtures.ts';
import { ConsumerService } from './consumer-service.ts';
import {
  enrichedRows,
  eventually,
  produce,
  readDlq,
  seedDimensions,
  testConsumerConfig,
  transactions,
} from './integration-support.ts';

jest.setTimeout(180_000);

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
});

async function topicAndTable(partitions = 3): Promise<{ topic: string; enriched: string }> {
  const topic = await createTopic(uniqueName('tx'), partitions);
  const enriched = uniqueName('ENRICHED');
  cleanup.push(
    () => deleteTopic(topic),
    () => deleteTopic(`${topic}.dlq`),
    () => testHBase().dropTable(enriched),
  );
  return { topic, enriched };
}

async function startService(config: ReturnType<typeof testConsumerConfig>['config']): Promise<ConsumerService> {
  const service = new ConsumerService(config, { log: () => undefined });
  cleanup.push(() => service.stop());
  await service.start();
  return service;
}

describe('consumer service', () => {
  it('turns N records into N enriched rows with the right names, and reports it in its metrics', async () => {
    const dims = await seedDimensions(50, 7);
    const { topic, enriched } = await topicAndTable();
    const sent = transactions(2_000, dims);
    await produce(topic, sent);
    const service = await startService(testConsumerConfig({ topic, enriched, dims }).config);

    const rows = await eventually(
      () => enrichedRows(enriched),
      (r) => r.size >= sent.length,
      60_000,
    );
    expect(rows.size).toBe(sent.length);
    const byAmount = new Map(sent.map((tx) => [String(tx.MONTO), tx]));
    for (const cells of rows.values()) {
      const tx = byAmount.get(cells['d:MONTO'] ?? '');
      expect(tx).toBeDefined();
      expect(cells['d:ID_PERSONA']).toBe(String(tx?.ID_PERSONA));
      expect(cells['d:NOMBRE_PERSONA']).toBe(dims.personaNames.get(tx?.ID_PERSONA ?? -1));
      expect(cells['d:NOMBRE_EMPRESA']).toBe(dims.empresaNames.get(tx?.ID_EMPRESA ?? -1));
      expect(Date.parse(cells['d:FECHA'] ?? '')).toBeGreaterThan(Date.now() - 120_000);
    }
    // Counters and the commit follow the write that made the rows visible: read them once they have caught up.
    const metrics = await eventually(
      () => service.metrics.registry.metrics(),
      (text) =>
        /tormenta_enrich_records_total\{outcome="enriched"[^}]*\} 2000/.test(text) &&
        Number(/tormenta_consumer_last_commit_timestamp_seconds\{[^}]*\} (\d+)/.exec(text)?.[1]) > 0,
      10_000,
    );
    expect(metrics).toMatch(/tormenta_enrich_records_total\{outcome="enriched"[^}]*\} 2000/);
    expect(metrics).toMatch(/tormenta_enrich_cache_misses_total\{[^}]*\} 57/);
    expect(metrics).toContain('tormenta_consumer_lag_records{partition="0"');
    expect(service.health()).toEqual({ live: true, ready: true, reasons: [] });
  });

  it.each([
    ['dead-letter', 3],
    ['empty', 0],
  ] as const)(
    "sends malformed and wrong-typed records to the DLQ, and unknown IDs where the lookups' onMissing: %s says",
    async (onMissing, unknownInDlq) => {
      const dims = await seedDimensions(5, 2);
      const { topic, enriched } = await topicAndTable(1);
      const good = transactions(10, dims);
      const malformed = Buffer.from('{"ID_PERSONA": 1, "ID_EMP');
      const wrongTyped = { ID_PERSONA: '1', ID_EMPRESA: 1, MONTO: 5 };
      const unknown = [
        { ID_PERSONA: 999, ID_EMPRESA: 1, MONTO: 1.25 },
        { ID_PERSONA: 1, ID_EMPRESA: 999, MONTO: 2.25 },
        { ID_PERSONA: 998, ID_EMPRESA: 998, MONTO: 3.25 },
      ];
      await produce(topic, [...good, malformed, wrongTyped, ...unknown]);
      await startService(testConsumerConfig({ topic, enriched, dims, sink: { onMissing } }).config);

      const dlq = await readDlq(`${topic}.dlq`, 2 + unknownInDlq);
      expect(dlq).toHaveLength(2 + unknownInDlq);
      const reasons = dlq.map((message) => message.headers.reason).sort();
      const expected = ['invalid_record', 'malformed_json'];
      if (unknownInDlq) expected.push('unknown_empresa', 'unknown_persona', 'unknown_persona');
      expect(reasons).toEqual(expected.sort());
      const bad = dlq.find((message) => message.headers.reason === 'malformed_json');
      expect(bad?.value?.equals(malformed)).toBe(true);
      expect(bad?.headers).toMatchObject({ source_topic: topic, source_partition: '0', source_offset: '10' });
      expect(dlq.find((message) => message.headers.reason === 'invalid_record')?.headers.reason_detail).toMatch(/ID_PERSONA/);

      const rows = await eventually(
        () => enrichedRows(enriched),
        (r) => r.size >= 10 + 3 - unknownInDlq,
        30_000,
      );
      expect(rows.size).toBe(10 + 3 - unknownInDlq);
      if (onMissing === 'empty') {
        const orphan = [...rows.values()].find((cells) => cells['d:MONTO'] === '3.25');
        expect(orphan).toMatchObject({ 'd:ID_PERSONA': '998', 'd:ID_EMPRESA': '998' });
        expect(orphan).not.toHaveProperty('d:NOMBRE_PERSONA');
        expect(orphan).not.toHaveProperty('d:NOMBRE_EMPRESA');
      }
    },
  );

  it('lets two groups at 1 s and 10 s cadence each complete the same topic', async () => {
    const dims = await seedDimensions(20, 3);
    const { topic, enriched: fast } = await topicAndTable();
    const slow = uniqueName('ENRICHED_SLOW');
    cleanup.push(() => testHBase().dropTable(slow));
    const sent = transactions(1_500, dims);
    await produce(topic, sent.slice(0, 500));
    const began = Date.now();
    await startService(testConsumerConfig({ topic, enriched: fast, dims, sink: { batchIntervalMs: 1_000 } }).config);
    await startService(testConsumerConfig({ topic, enriched: slow, dims, sink: { batchIntervalMs: 10_000 } }).config);
    await produce(topic, sent.slice(500));

    const fastRows = await eventually(
      () => enrichedRows(fast),
      (r) => r.size >= sent.length,
      30_000,
    );
    const fastDone = Date.now() - began;
    const slowRows = await eventually(
      () => enrichedRows(slow),
      (r) => r.size >= sent.length,
      60_000,
    );
    expect(fastRows.size).toBe(sent.length);
    expect(slowRows.size).toBe(sent.length);
    // The same records, the same idempotent row keys, whatever the cadence.
    expect([...slowRows.keys()].sort()).toEqual([...fastRows.keys()].sort());
    expect(fastDone).toBeLessThan(10_000);
  });
});
