// Per-test resources on the shared stack: unique topic and table names, so tests never see each other's data.
import { setTimeout as sleep } from 'node:timers/promises';
import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { HBaseRestClient } from '@tormenta/hbase';
import { kafkajs } from '@tormenta/kafka';
import { endpoints } from './layout.ts';

export function uniqueName(prefix: string): string {
  return `${prefix}_${process.env.JEST_WORKER_ID ?? '0'}_${randomBytes(4).toString('hex')}`;
}

export function testKafka(clientId = uniqueName('test-client')): Kafka {
  return new kafkajs.Kafka({ clientId, brokers: endpoints.kafkaBrokers, logLevel: kafkajs.logLevel.NOTHING });
}

export async function createTopic(name = uniqueName('topic'), partitions = 3): Promise<string> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    // On a loaded machine kafkajs' wait for leaders can give up (UNKNOWN_TOPIC_OR_PARTITION, retriable) before the
    // broker's metadata caught up; the topic exists by then, so asking again only waits.
    for (let attempt = 1; ; attempt += 1) {
      try {
        await admin.createTopics({ topics: [{ topic: name, numPartitions: partitions }], waitForLeaders: true });
        break;
      } catch (error) {
        if (attempt >= 5 || (error as { retriable?: boolean }).retriable !== true) throw error;
        await sleep(500 * attempt);
      }
    }
  } finally {
    await admin.disconnect();
  }
  return name;
}

export async function deleteTopic(name: string): Promise<void> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics: [name] });
  } finally {
    await admin.disconnect();
  }
}

export function testHBase(): HBaseRestClient {
  return new HBaseRestClient({ url: endpoints.hbaseRest });
}

export async function createTable(name = uniqueName('T'), families = ['f']): Promise<string> {
  await testHBase().ensureTable(name, families);
  return name;
}

/**
 * Counts and reads a table's rows through a REST scanner, apart from the code under test, so a test can check what
 * HBase really holds.
 */
export async function scanTable(table: string): Promise<Map<string, Record<string, string>>> {
  const base = `${endpoints.hbaseRest}/${encodeURIComponent(table)}`;
  const create = await fetch(`${base}/scanner`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ batch: 10_000 }),
  });
  if (create.status !== 201) throw new Error(`scanner on ${table}: ${create.status} ${await create.text()}`);
  const scanner = create.headers.get('location');
  if (!scanner) throw new Error(`scanner on ${table}: no Location header`);
  const rows = new Map<string, Record<string, string>>();
  const decode = (b64: string): string => Buffer.from(b64, 'base64').toString('utf8');
  try {
    for (;;) {
      const page = await fetch(scanner, { headers: { Accept: 'application/json' } });
      if (page.status === 204) break;
      if (!page.ok) throw new Error(`scanner page on ${table}: ${page.status}`);
      const body = (await page.json()) as { Row: { key: string; Cell: { column: string; $: string }[] }[] };
      for (const row of body.Row) {
        const cells = rows.get(decode(row.key)) ?? {};
        for (const cell of row.Cell) cells[decode(cell.column)] = decode(cell.$);
        rows.set(decode(row.key), cells);
      }
    }
  } finally {
    await fetch(scanner, { method: 'DELETE' });
  }
  return rows;
}

export async function promQuery(query: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const response = await fetch(`${endpoints.prometheus}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await response.json()) as { status: string; error?: string; data: { result: never[] } };
  if (body.status !== 'success') throw new Error(`PromQL ${query}: ${body.error}`);
  return body.data.result;
}
