// Failures no retry can fix, and what the consumer reports while it cannot store, against the real stack: HBase refusing
// the enriched table (dropped under the consumer), Kafka refusing dead letters (too large for the DLQ topic), and the lag
// gauge during an HBase outage.
import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { createTopic, deleteTopic, testHBase, testKafka, uniqueName } from '../../../test/stack/fixtures.ts';
import { PrivateHBaseRest } from '../../../test/stack/private-hbase-rest.ts';
import { ConsumerService } from './consumer-service.ts';
import { ConsumerError } from './errors.ts';
import { enrichedRows, eventually, produce, seedDimensions, testConsumerConfig, transactions } from './integration-support.ts';

jest.setTimeout(180_000);

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
});

async function lagTotal(service: ConsumerService): Promise<number> {
  return (await service.metrics.lag.get()).values.reduce((sum, { value }) => sum + value, 0);
}

/** Stored rows become visible a moment before their offsets are committed; the gauges follow the commit. */
async function allCommitted(service: ConsumerService): Promise<void> {
  const committed = async () =>
    ((await service.metrics.lastCommit.get()).values[0]?.value ?? 0) > 0 && (await lagTotal(service)) === 0;
  await eventually(committed, (done) => done, 10_000);
}

describe('consumer: permanent failures fail the loop instead of retrying forever', () => {
  it('a missing enriched table → fails fast with an error naming the table, nothing committed', async () => {
    const dims = await seedDimensions(10, 3);
    const topic = await createTopic(uniqueName('tx'), 1);
    const enriched = uniqueName('ENRICHED');
    cleanup.push(
      () => deleteTopic(topic),
      () => deleteTopic(`${topic}.dlq`),
      () => testHBase().dropTable(enriched),
    );
    const { config } = testConsumerConfig({ topic, enriched, dims, sink: { batchIntervalMs: 100 } });
    let fatal: unknown;
    const service = new ConsumerService(config, { log: () => undefined, onFatal: (error) => (fatal = error) });
    cleanup.push(() => service.stop());
    await service.start();
    await produce(topic, transactions(5, dims));
    await eventually(
      () => enrichedRows(enriched),
      (rows) => rows.size === 5,
      30_000,
    );
    await allCommitted(service);
    const committedAt = (await service.metrics.lastCommit.get()).values[0]?.value;

    await testHBase().dropTable(enriched);
    await produce(topic, transactions(5, dims));
    await eventually(
      async () => fatal,
      (error) => error !== undefined,
      20_000,
    );
    expect(fatal).toBeInstanceOf(ConsumerError);
    expect((fatal as ConsumerError).code).toBe('TORMENTA_CONSUMER_HBASE_REJECTED');
    expect((fatal as Error).message).toContain(enriched);
    expect(service.health().live).toBe(false);
    expect((await service.metrics.lastCommit.get()).values[0]?.value).toBe(committedAt);
    await service.stop();
  });

  it('a lookup table HBase does not have → start-up fails naming the table and the field of the sink file', async () => {
    const dims = await seedDimensions(10, 3);
    const topic = await createTopic(uniqueName('tx'), 1);
    const enriched = uniqueName('ENRICHED');
    const missing = uniqueName('NO_PERSONA');
    cleanup.push(
      () => deleteTopic(topic),
      () => testHBase().dropTable(enriched),
    );
    const { config } = testConsumerConfig({ topic, enriched, dims: { ...dims, persona: missing } });
    const service = new ConsumerService(config, { log: () => undefined });
    cleanup.push(() => service.stop());
    const failure = await service.start().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ConsumerError);
    expect((failure as ConsumerError).code).toBe('TORMENTA_CONSUMER_CONFIG_INVALID');
    expect((failure as Error).message).toContain(`${missing} (${config.sink.file}: /lookups/0/table)`);
    expect((failure as Error).message).not.toContain('/lookups/1/table');
    await service.stop();
  });

  it('a dead letter the DLQ topic refuses for good → fails fast with an error naming the DLQ topic', async () => {
    const dims = await seedDimensions(10, 3);
    const topic = await createTopic(uniqueName('tx'), 1);
    const enriched = uniqueName('ENRICHED');
    cleanup.push(
      () => deleteTopic(topic),
      () => deleteTopic(`${topic}.dlq`),
      () => testHBase().dropTable(enriched),
    );
    const admin = testKafka().admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic: `${topic}.dlq`, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: '1024' }] }],
      waitForLeaders: true,
    });
    await admin.disconnect();
    const { config } = testConsumerConfig({ topic, enriched, dims, sink: { batchIntervalMs: 100 } });
    let fatal: unknown;
    const service = new ConsumerService(config, { log: () => undefined, onFatal: (error) => (fatal = error) });
    cleanup.push(() => service.stop());
    await service.start();
    await produce(topic, [`not json ${'x'.repeat(4_000)}`]);
    await eventually(
      async () => fatal,
      (error) => error !== undefined,
      30_000,
    );
    expect((fatal as ConsumerError).code).toBe('TORMENTA_CONSUMER_DLQ_WRITE_FAILED');
    expect((fatal as Error).message).toContain(`${topic}.dlq`);
    await service.stop();
  });
});

describe('consumer lag while nothing can be stored', () => {
  it('keeps growing during an HBase outage instead of freezing at the last commit', async () => {
    const rest = await PrivateHBaseRest.start();
    cleanup.push(() => rest.kill());
    const dims = await seedDimensions(10, 3);
    const topic = await createTopic(uniqueName('tx'), 1);
    const enriched = uniqueName('ENRICHED');
    cleanup.push(
      () => deleteTopic(topic),
      () => deleteTopic(`${topic}.dlq`),
      () => testHBase().dropTable(enriched),
    );
    const { config } = testConsumerConfig({
      topic,
      enriched,
      dims,
      hbaseRestUrl: rest.url,
      sink: { batchIntervalMs: 100 },
      extra: { CONSUMER_MAX_BATCH_RECORDS: '50' },
    });
    const service = new ConsumerService(config, { log: () => undefined });
    cleanup.push(() => service.stop());
    await service.start();
    await produce(topic, transactions(20, dims));
    await eventually(
      () => enrichedRows(enriched),
      (rows) => rows.size === 20,
      30_000,
    );
    await allCommitted(service);

    await rest.kill();
    await produce(topic, transactions(30, dims));
    // The 30 records are fetched but cannot be stored, so nothing is committed: the gauge must show them.
    await eventually(
      async () => service.health().ready,
      (ready) => !ready,
      30_000,
    );
    expect(
      await eventually(
        () => lagTotal(service),
        (lag) => lag >= 30,
        10_000,
      ),
    ).toBe(30);
    await service.stop();
  });
});
