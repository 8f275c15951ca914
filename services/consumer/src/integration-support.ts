// Helpers the consumer's integration tests share: per-test dimension tables, producing records, reading HBase and the DLQ
// apart from the code under test, and the consumer's configuration for a test's own topic and tables.
import { setTimeout as sleep } from 'node:timers/promises';
import { column, dimensionKey, FAMILY } from '@tormenta/hbase';
import { endpoints } from '../../../test/stack/layout.ts';
import { createTable, scanTable, testHBase, testKafka, uniqueName } from '../../../test/stack/fixtures.ts';
import { loadConfig } from './config.ts';
import type { ConsumerConfig } from './config.ts';
import { writeSinkFile } from './testing/sink-file.ts';
import type { TransactionSinkChanges } from './testing/sink-file.ts';

export interface Dimensions {
  persona: string;
  empresa: string;
  personaNames: Map<number, string>;
  empresaNames: Map<number, string>;
}

/** PERSONA ids 1..personas and EMPRESA ids 1..empresas in tables of the test's own. */
export async function seedDimensions(personas: number, empresas: number): Promise<Dimensions> {
  const persona = await createTable(uniqueName('PERSONA'), [FAMILY]);
  const empresa = await createTable(uniqueName('EMPRESA'), [FAMILY]);
  const personaNames = new Map(Array.from({ length: personas }, (_, i) => [i + 1, `Persona ${i + 1}`] as const));
  const empresaNames = new Map(Array.from({ length: empresas }, (_, i) => [i + 1, `Empresa ${i + 1}`] as const));
  const hbase = testHBase();
  await hbase.putRows(
    persona,
    [...personaNames].map(([id, name]) => ({
      key: dimensionKey(id),
      cells: { [column('NOMBRE')]: name, [column('ID_EMPRESA')]: String(((id - 1) % empresas) + 1) },
    })),
  );
  await hbase.putRows(
    empresa,
    [...empresaNames].map(([id, name]) => ({ key: dimensionKey(id), cells: { [column('NOMBRE')]: name } })),
  );
  return { persona, empresa, personaNames, empresaNames };
}

/** Transactions whose IDs exist in the seeded dimensions. */
export function transactions(count: number, dims: Dimensions): { ID_PERSONA: number; ID_EMPRESA: number; MONTO: number }[] {
  return Array.from({ length: count }, (_, i) => ({
    ID_PERSONA: (i % dims.personaNames.size) + 1,
    ID_EMPRESA: (i % dims.empresaNames.size) + 1,
    MONTO: Math.round(i * 137.5) / 100,
  }));
}

/** Produces the values (objects are JSON-encoded, strings and buffers sent as they are), acks=all, in chunks. */
export async function produce(topic: string, values: readonly unknown[]): Promise<void> {
  const producer = testKafka().producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    for (let start = 0; start < values.length; start += 1_000) {
      const messages = values.slice(start, start + 1_000).map((value, i) => ({
        key: String(start + i),
        value: Buffer.isBuffer(value) ? value : typeof value === 'string' ? value : JSON.stringify(value),
      }));
      await producer.send({ topic, acks: -1, messages });
    }
  } finally {
    await producer.disconnect();
  }
}

/** The shipped transactions sink on the test's topic, group and tables; `sink` changes its cadence or policy. */
export function testConsumerConfig(fields: {
  topic: string;
  enriched: string;
  dims: Dimensions;
  groupId?: string;
  sink?: Pick<TransactionSinkChanges, 'batchIntervalMs' | 'onMissing'>;
  extra?: Record<string, string>;
  hbaseRestUrl?: string;
}): { env: Record<string, string>; config: ConsumerConfig } {
  const sinkFile = writeSinkFile({
    topic: fields.topic,
    group: fields.groupId ?? uniqueName('group'),
    table: fields.enriched,
    lookupTables: { persona: fields.dims.persona, empresa: fields.dims.empresa },
    ...fields.sink,
  });
  const env: Record<string, string> = {
    CONSUMER_KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
    CONSUMER_SINK_FILE: sinkFile,
    CONSUMER_HBASE_REST_URL: fields.hbaseRestUrl ?? endpoints.hbaseRest,
    CONSUMER_HTTP_HOST: '127.0.0.1',
    CONSUMER_HTTP_PORT: '0',
    CONSUMER_RETRY_INITIAL_MS: '100',
    CONSUMER_RETRY_MAX_MS: '2000',
    ...fields.extra,
  };
  return { env, config: loadConfig(env) };
}

/** Polls until the check returns true; fails with the last observed value. */
export async function eventually<T>(observe: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await observe();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`condition not reached in ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
    await sleep(250);
    last = await observe();
  }
  return last;
}

/** The enriched table as HBase holds it, read with a raw REST scanner (an absent table reads as empty). */
export async function enrichedRows(table: string): Promise<Map<string, Record<string, string>>> {
  return scanTable(table).catch((error: unknown) => {
    if (/404/.test((error as Error).message)) return new Map();
    throw error;
  });
}

export interface DlqMessage {
  value: Buffer | null;
  headers: Record<string, string>;
}

/** Reads the DLQ topic from the beginning until `count` messages arrived. */
export async function readDlq(topic: string, count: number, timeoutMs = 30_000): Promise<DlqMessage[]> {
  const consumer = testKafka().consumer({ groupId: uniqueName('dlq-reader') });
  const messages: DlqMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(message.headers ?? {})) headers[name] = String(value);
        messages.push({ value: message.value, headers });
      },
    });
    await eventually(
      async () => messages.length,
      (n) => n >= count,
      timeoutMs,
    );
    await sleep(500); // anything beyond `count` would show up here
  } finally {
    await consumer.disconnect();
  }
  return messages;
}
