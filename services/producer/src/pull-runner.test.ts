// The pull runner's own logic, with the real Ingestor and a real lease file; only the Kafka writer is an in-memory
// stand-in (it fails on demand), so nothing here needs the stack.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from '@jest/globals';
import { KafkaWriteError } from '@tormenta/kafka';
import type { MessageWriter, OutgoingMessage } from '@tormenta/kafka';
import { FileLeaseStore, LeaderElector } from '@tormenta/lease';
import type { LeaseRecord, LeaseStore } from '@tormenta/lease';
import { Ingestor } from './ingest.ts';
import { createMetrics } from './metrics.ts';
import { runPullSource } from './pull-runner.ts';
import { assignIds } from './streams/ids.ts';
import type { PullSource } from './sources/index.ts';
import { compileStream } from './streams/convert.ts';
import { loadStreamFile } from './streams/stream-file.ts';

const transactionStream = await compileStream(loadStreamFile('streams/transacciones.yaml'));

class FlakyWriter implements MessageWriter {
  readonly attempts: OutgoingMessage[][] = [];
  failuresLeft: number;

  constructor(failures: number) {
    this.failuresLeft = failures;
  }

  get available(): boolean {
    return true;
  }

  async write(messages: OutgoingMessage[]): Promise<void> {
    this.attempts.push(messages);
    if (this.failuresLeft-- > 0) {
      throw new KafkaWriteError(
        'TORMENTA_KAFKA_WRITE_FAILED',
        'not acknowledged',
        messages.map((_, index) => index),
      );
    }
  }

  async close(): Promise<void> {}
}

function oneBatchSource(items: unknown[]): PullSource & { reads: (string | undefined)[] } {
  const reads: (string | undefined)[] = [];
  return {
    kind: 'pull',
    name: 'test-pull',
    intervalMs: 10,
    reads,
    async read(checkpoint) {
      reads.push(checkpoint);
      return checkpoint === undefined ? { items, checkpoint: '1' } : 'exhausted';
    },
  };
}

function ingestorFor(writer: MessageWriter): Ingestor {
  return new Ingestor({
    writer,
    metrics: createMetrics(false),
    stream: transactionStream,
    maxInflightRecords: 1_000,
    retryAfterSeconds: 1,
    kafkaUp: () => true,
    draining: () => false,
  });
}

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await sleep(10);
  }
}

const ids = (messages: OutgoingMessage[]): string[] =>
  messages.map((message) => (JSON.parse(message.value.toString()) as { id: string }).id);

describe('assignIds', () => {
  it('adds an id to objects without one and leaves everything else alone', () => {
    let next = 0;
    const items = assignIds([{ MONTO: 1 }, { id: 'own' }, 'text', null, [1], { id: 7 }], 'id', () => `gen-${next++}`);
    expect(items).toEqual([{ MONTO: 1, id: 'gen-0' }, { id: 'own' }, 'text', null, [1], { id: 7 }]);
  });
});

describe('runPullSource', () => {
  it('retries a batch whose send failed with the same ids it assigned the first time', async () => {
    const writer = new FlakyWriter(1);
    const source = oneBatchSource([
      { ID_PERSONA: 1, ID_EMPRESA: 2, MONTO: 3 },
      { ID_PERSONA: 4, ID_EMPRESA: 5, MONTO: 6 },
    ]);
    const stop = new AbortController();
    const running = runPullSource({
      source,
      ingestor: ingestorFor(writer),
      idField: 'id',
      elector: undefined,
      followPollMs: 10,
      log: () => undefined,
      signal: stop.signal,
    });
    await until(() => writer.attempts.length >= 2 && source.reads.length >= 2);
    stop.abort();
    await running;
    const [failed, retried] = writer.attempts;
    expect(ids(failed!)).toHaveLength(2);
    expect(new Set(ids(failed!)).size).toBe(2);
    expect(ids(retried!)).toEqual(ids(failed!));
    expect(source.reads).toEqual([undefined, '1']);
  });

  it('keeps running and saves the checkpoint when the lease store fails once while saving it', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pull-lease-')), 'lease.json');
    const real = new FileLeaseStore(file);
    let checkpointFailures = 1;
    const store: LeaseStore = {
      read: () => real.read(),
      async write(record: LeaseRecord, version: string | undefined) {
        if (record.checkpoint === '1' && checkpointFailures-- > 0) throw new Error('lease store unreachable');
        return real.write(record, version);
      },
    };
    const elector = new LeaderElector({ store, identity: 'me', durationMs: 30_000, renewMs: 1_000 });
    const writer = new FlakyWriter(0);
    const source = oneBatchSource([{ ID_PERSONA: 1, ID_EMPRESA: 2, MONTO: 3 }]);
    const logs: string[] = [];
    const stop = new AbortController();
    let outcome: unknown = 'running';
    const running = runPullSource({
      source,
      ingestor: ingestorFor(writer),
      idField: 'id',
      elector,
      followPollMs: 10,
      log: (line) => logs.push(line),
      signal: stop.signal,
    }).then(
      () => (outcome = 'stopped'),
      (error: unknown) => (outcome = error),
    );
    await until(() => source.reads.length >= 2);
    expect(outcome).toBe('running');
    stop.abort();
    await running;
    expect(outcome).toBe('stopped');
    expect((JSON.parse(readFileSync(file, 'utf8')) as LeaseRecord).checkpoint).toBe('1');
    expect(source.reads).toEqual([undefined, '1']);
    expect(writer.attempts).toHaveLength(1);
    expect(logs.join('\n')).toMatch(/saving checkpoint 1 failed: lease store unreachable/);
  });
});
