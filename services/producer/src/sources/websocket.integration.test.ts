// The websocket source against a local ws server playing the remote feed, and the real Kafka: every message's records
// are stored, the subscribe message is sent after each connect, and the source reconnects after the server dropped it.
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { createTopic, deleteTopic, uniqueName } from '../../../../test/stack/fixtures.ts';
import { endpoints } from '../../../../test/stack/layout.ts';
import { readTopic } from '../testing/topic-reader.ts';
import { writeStreamFile } from '../testing/stream-file.ts';
import { counted, startProducer, storedNumbers, upTo } from '../testing/streaming.ts';
import type { Cleanups } from '../testing/streaming.ts';

jest.setTimeout(90_000);

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

/** A feed that answers each subscribe message with the records it publishes from then on, like a ticker. */
class TickerFeed {
  readonly server: WebSocketServer;
  readonly subscribes: string[] = [];
  #subscribed = new Set<WebSocket>();

  constructor() {
    this.server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    this.server.on('connection', (socket) => {
      socket.on('message', (data) => {
        this.subscribes.push(data.toString());
        this.#subscribed.add(socket);
      });
      socket.on('close', () => this.#subscribed.delete(socket));
    });
  }

  async url(): Promise<string> {
    if (!this.server.address()) await new Promise((resolve) => this.server.once('listening', resolve));
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}/feed`;
  }

  /** Until `count` subscribe messages arrived in all (one per connection). */
  async untilSubscribed(count: number): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (this.subscribes.length < count) {
      if (Date.now() > deadline) throw new Error(`${this.subscribes.length} of ${count} subscribe messages within 20 s`);
      await sleep(20);
    }
  }

  /** One message with the records n = from … from + count - 1 at data.items. */
  publish(from: number, count: number): void {
    const message = JSON.stringify({ type: 'ticks', data: { items: upTo(count, from).map((n) => ({ n, price: 100 + n })) } });
    for (const socket of this.#subscribed) socket.send(message);
  }

  /** Drops every connection without a close handshake, as a crashed server or a cut network does. */
  dropAll(): void {
    for (const socket of this.#subscribed) socket.terminate();
    this.#subscribed.clear();
  }

  close(): Promise<void> {
    for (const client of this.server.clients) client.terminate();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

async function streamFor(feed: TickerFeed, kafkaTopic: string): Promise<string> {
  return writeStreamFile({
    name: 'ticks',
    topic: kafkaTopic,
    schema: undefined,
    key: undefined,
    source: {
      kind: 'websocket',
      url: await feed.url(),
      subscribe: { type: 'subscribe', channels: ['ticks'] },
      recordsPath: 'data.items',
      reconnectBaseMs: 50,
      reconnectMaxMs: 500,
    },
  });
}

describe('websocket source', () => {
  it('subscribes after connecting and stores the records of every message', async () => {
    const kafkaTopic = await createTopic(uniqueName('ws'));
    cleanups.push(() => deleteTopic(kafkaTopic));
    const feed = new TickerFeed();
    cleanups.push(() => feed.close());
    const app = await startProducer(await streamFor(feed, kafkaTopic), cleanups);
    await feed.untilSubscribed(1);
    expect(feed.subscribes).toEqual(['{"type":"subscribe","channels":["ticks"]}']);

    for (let from = 0; from < 100; from += 10) feed.publish(from, 10);
    const stored = await readTopic(endpoints.kafkaBrokers, kafkaTopic, 100);
    expect(storedNumbers(stored)).toEqual(upTo(100));
    expect(stored.find((record) => record.n === 42)).toMatchObject({ n: 42, price: 142, id: expect.any(String) });
    expect(await counted(app.metrics.accepted)).toBe(100);
  });

  it('reconnects after the server dropped the connection, subscribing again', async () => {
    const kafkaTopic = await createTopic(uniqueName('ws-reconnect'));
    cleanups.push(() => deleteTopic(kafkaTopic));
    const feed = new TickerFeed();
    cleanups.push(() => feed.close());
    const app = await startProducer(await streamFor(feed, kafkaTopic), cleanups);
    await feed.untilSubscribed(1);
    feed.publish(0, 20);
    const firstStored = Date.now() + 20_000;
    while ((await counted(app.metrics.accepted)) < 20 && Date.now() < firstStored) await sleep(20);

    feed.dropAll();
    await feed.untilSubscribed(2);
    feed.publish(20, 20);
    // The server closing with a handshake ends the connection too.
    for (const client of feed.server.clients) client.close(1001, 'going away');
    await feed.untilSubscribed(3);
    feed.publish(40, 20);

    const stored = await readTopic(endpoints.kafkaBrokers, kafkaTopic, 60);
    expect(storedNumbers(stored)).toEqual(upTo(60));
    expect(feed.subscribes).toHaveLength(3);
  });
});
