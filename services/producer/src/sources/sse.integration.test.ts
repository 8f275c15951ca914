// The sse source against a local node:http server playing an event stream that honours Last-Event-ID (as Wikimedia
// EventStreams does), and the real Kafka: events of the chosen type are stored; after a drop the source resumes from
// the last event Kafka acknowledged, not the last one it received; a new leader resumes from the id kept in the Lease.
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { createTopic, deleteTopic, uniqueName } from '../../../../test/stack/fixtures.ts';
import { endpoints } from '../../../../test/stack/layout.ts';
import { runStreamingSource } from '../streaming-runner.ts';
import { loadStreamFile } from '../streams/stream-file.ts';
import { readTopic } from '../testing/topic-reader.ts';
import { writeStreamFile } from '../testing/stream-file.ts';
import { counted, ingestFailingOnce, startProducer, storedNumbers, upTo } from '../testing/streaming.ts';
import type { Cleanups } from '../testing/streaming.ts';
import { createSse } from './sse.ts';
import type { SseConfig } from './sse.ts';

jest.setTimeout(90_000);

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

interface StreamEvent {
  id: number;
  type: string;
  data: string;
}

/** An event stream keeping every event it published; a request with Last-Event-ID gets the events after that id. */
class EventStream {
  readonly server: Server;
  /** The Last-Event-ID header of each request, in order (null: none). */
  readonly resumedFrom: (string | null)[] = [];
  readonly #events: StreamEvent[] = [];
  readonly #open = new Set<ServerResponse>();

  constructor() {
    this.server = createServer((request, response) => this.#serve(request, response));
  }

  async url(): Promise<string> {
    if (!this.server.listening) await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v2/stream/positions`;
  }

  #serve(request: IncomingMessage, response: ServerResponse): void {
    const lastEventId = request.headers['last-event-id'];
    this.resumedFrom.push(typeof lastEventId === 'string' ? lastEventId : null);
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    response.write(': connected\n\n');
    const after = lastEventId === undefined ? 0 : Number(lastEventId);
    for (const event of this.#events) if (event.id > after) response.write(EventStream.#format(event));
    this.#open.add(response);
    response.on('close', () => this.#open.delete(response));
  }

  static #format(event: StreamEvent): string {
    return `event: ${event.type}\nid: ${event.id}\ndata: ${event.data}\n\n`;
  }

  /** Positions n = from … from + count - 1 with ids n + 1, each followed by a heartbeat event of another type. */
  publish(from: number, count: number): void {
    for (const n of upTo(count, from)) {
      const events = [
        { id: n + 1, type: 'position', data: JSON.stringify({ n, lat: 40 + n / 100 }) },
        { id: n + 1, type: 'heartbeat', data: '{"beat":true}' },
      ];
      for (const event of events) {
        if (event.type === 'position') this.#events.push(event);
        for (const response of this.#open) response.write(EventStream.#format(event));
      }
    }
  }

  /** Ends every response, as a server that restarts does. */
  dropAll(): void {
    for (const response of this.#open) response.end();
    this.#open.clear();
  }

  async untilRequests(count: number): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (this.resumedFrom.length < count || this.#open.size === 0) {
      if (Date.now() > deadline) throw new Error(`${this.resumedFrom.length} of ${count} requests within 20 s`);
      await sleep(20);
    }
  }

  close(): Promise<void> {
    this.dropAll();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

async function streamFile(events: EventStream, kafkaTopic: string): Promise<string> {
  return writeStreamFile({
    name: 'positions',
    topic: kafkaTopic,
    schema: undefined,
    key: undefined,
    source: { kind: 'sse', url: await events.url(), events: ['position'], reconnectBaseMs: 50, reconnectMaxMs: 500 },
  });
}

describe('sse source', () => {
  it('stores the events of the chosen type, and resumes after a drop from the last id stored', async () => {
    const kafkaTopic = await createTopic(uniqueName('sse'));
    cleanups.push(() => deleteTopic(kafkaTopic));
    const events = new EventStream();
    cleanups.push(() => events.close());
    const app = await startProducer(await streamFile(events, kafkaTopic), cleanups);
    await events.untilRequests(1);
    events.publish(0, 30);
    const deadline = Date.now() + 20_000;
    while ((await counted(app.metrics.accepted)) < 30 && Date.now() < deadline) await sleep(20);

    events.dropAll();
    await events.untilRequests(2);
    events.publish(30, 30);

    const stored = await readTopic(endpoints.kafkaBrokers, kafkaTopic, 60);
    expect(storedNumbers(stored)).toEqual(upTo(60));
    expect(stored.some((record) => 'beat' in record)).toBe(false);
    expect(events.resumedFrom).toEqual([null, '30']);
  });

  it('resumes from the last event Kafka acknowledged, not the last one received, when a batch was not stored', async () => {
    const kafkaTopic = await createTopic(uniqueName('sse-resume'));
    cleanups.push(() => deleteTopic(kafkaTopic));
    const events = new EventStream();
    cleanups.push(() => events.close());
    const spec = loadStreamFile(await streamFile(events, kafkaTopic));
    // Positions 0-19 are stored; the first batch holding 20 or later is refused.
    const path = await ingestFailingOnce(
      spec,
      { brokers: endpoints.kafkaBrokers, clientId: uniqueName('writer') },
      (n) => n >= 20,
    );
    cleanups.push(() => path.writer.close());
    const stop = new AbortController();
    const log: string[] = [];
    const running = runStreamingSource({
      source: await createSse(spec.source.config as SseConfig),
      replication: 'leader',
      ingestor: path.ingestor,
      idField: spec.idField,
      elector: undefined,
      followPollMs: 1_000,
      log: (message) => log.push(message),
      signal: stop.signal,
    });
    cleanups.push(async () => {
      stop.abort();
      await running;
    });
    await events.untilRequests(1);
    events.publish(0, 20);
    const deadline = Date.now() + 20_000;
    while ((await counted(path.metrics.accepted)) < 20 && Date.now() < deadline) await sleep(20);
    events.publish(20, 20);

    const stored = await readTopic(endpoints.kafkaBrokers, kafkaTopic, 40);
    expect(storedNumbers(stored)).toEqual(upTo(40));
    const failed = path.failed() ?? [];
    expect(failed.length).toBeGreaterThan(0);
    for (const n of failed) expect(path.seen.get(n)).toBe(2);
    // Event ids are n + 1: the second request asks for what follows position 19, the last one stored.
    expect(events.resumedFrom).toEqual([null, '20']);
    expect(log.some((line) => line.includes('delivery failed: injected'))).toBe(true);
  });

  it('a new leader resumes from the id the previous one saved in the Lease', async () => {
    const kafkaTopic = await createTopic(uniqueName('sse-leader'));
    cleanups.push(() => deleteTopic(kafkaTopic));
    const events = new EventStream();
    cleanups.push(() => events.close());
    const file = await streamFile(events, kafkaTopic);
    const lease = {
      PRODUCER_LEASE_MODE: 'file',
      PRODUCER_LEASE_FILE: join(mkdtempSync(join(tmpdir(), 'producer-lease-')), 'lease.json'),
      PRODUCER_LEASE_DURATION_MS: '3000',
      PRODUCER_LEASE_RENEW_MS: '200',
    };
    const first = await startProducer(file, cleanups, { ...lease, PRODUCER_LEASE_IDENTITY: 'replica-a' });
    await events.untilRequests(1);
    events.publish(0, 25);
    const deadline = Date.now() + 20_000;
    while ((await counted(first.metrics.accepted)) < 25 && Date.now() < deadline) await sleep(20);
    await first.shutdown();

    const second = await startProducer(file, cleanups, { ...lease, PRODUCER_LEASE_IDENTITY: 'replica-b' });
    await events.untilRequests(2);
    events.publish(25, 25);
    const stored = await readTopic(endpoints.kafkaBrokers, kafkaTopic, 50);
    expect(storedNumbers(stored)).toEqual(upTo(50));
    expect(events.resumedFrom).toEqual([null, '25']);
    expect(await counted(second.metrics.accepted)).toBe(25);
  });
});
