import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../errors.ts';
import { compileStream, convertRecords } from '../streams/convert.ts';
import { loadStreamFile, parseStream } from '../streams/stream-file.ts';
import { readSecretFile, subscriptionFilter, topicFilterProblem } from './mqtt.ts';
import { requestHeaders } from './sse.ts';
import { keepConnected, messageRecords, reconnectDelayMs } from './streaming.ts';
import { subscribeMessage } from './websocket.ts';

const FILE = '/etc/tormenta/stream.yaml';

function streamWith(source: Record<string, unknown>) {
  return parseStream({ name: 'feed', source, topic: 'topic_feed' }, FILE);
}

describe('MQTT topic filters', () => {
  it.each([
    ['phones/+/position', undefined],
    ['phones/#', undefined],
    ['#', undefined],
    ['+/+', undefined],
    ['sensors/temp', undefined],
    ['phones/#/position', '"#" must be a whole level, and the last'],
    ['phones/a#', '"#" must be a whole level, and the last'],
    ['phones/a+/position', '"+" must be a whole level'],
    ['$share/g/phones/+', 'a shared subscription is asked for with sharedGroup, not in the topic'],
    ['a\u0000b', 'must not contain a NUL character'],
  ])('%j → %s', (filter, problem) => {
    expect(topicFilterProblem(filter)).toBe(problem);
  });

  it('subscribes as the stream group', () => {
    expect(subscriptionFilter('phones/+/position', 'positions')).toBe('$share/positions/phones/+/position');
  });
});

describe('streaming source settings that cannot be used stop start-up naming the file and the field', () => {
  it.each([
    [{ kind: 'mqtt', url: 'mqtt://127.0.0.1:1883', topic: 'a/+' }, '/source/sharedGroup: '],
    [{ kind: 'mqtt', url: 'http://broker', topic: 'a', sharedGroup: 'g' }, '/source/url: must be an mqtt://, mqtts://'],
    [{ kind: 'mqtt', url: 'mqtt://b', topic: 'a/#/b', sharedGroup: 'g' }, '/source/topic: "#" must be a whole level'],
    [{ kind: 'mqtt', url: 'mqtt://b', topic: 'a', sharedGroup: 'a/b' }, '/source/sharedGroup: must not be empty or contain'],
    [{ kind: 'mqtt', url: 'mqtt://b', topic: 'a', sharedGroup: 'g', password: 'x' }, '/source/password: not a known field'],
    [{ kind: 'mqtt', url: 'mqtt://b', topic: 'a', sharedGroup: 'g', maxInflight: 70_000 }, '/source/maxInflight: '],
    [{ kind: 'websocket', url: 'https://feed' }, '/source/url: must be a ws:// or wss:// URL'],
    [
      { kind: 'websocket', url: 'ws://feed', reconnectBaseMs: 5_000, reconnectMaxMs: 1_000 },
      '/source/reconnectMaxMs: must not be below',
    ],
    [{ kind: 'websocket', url: 'ws://feed', subscribe: 7 }, '/source/subscribe: '],
    [{ kind: 'sse', url: 'ws://feed' }, '/source/url: must be an http:// or https:// URL'],
    [{ kind: 'sse', url: 'http://feed', events: [] }, '/source/events: '],
    [{ kind: 'sse', url: 'http://feed', events: ['error'] }, '/source/events/0: open and error are'],
  ])('%j → %s', (source, expected) => {
    const parse = () => streamWith(source);
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(`${FILE}: ${expected}`);
  });

  it('fills in the defaults', () => {
    const spec = streamWith({ kind: 'mqtt', url: 'mqtt://127.0.0.1:1883', topic: 'phones/+/position', sharedGroup: 'p' });
    expect(spec.source.definition.replication).toBe('split');
    expect(spec.source.config).toMatchObject({ maxInflight: 1_000, sessionExpirySeconds: 3_600, recordsPath: '' });
    expect(streamWith({ kind: 'sse', url: 'https://stream.example/x' }).source.config).toMatchObject({ events: ['message'] });
    expect(streamWith({ kind: 'websocket', url: 'wss://feed.example' }).source.definition.replication).toBe('leader');
  });
});

describe('websocket subscribe message', () => {
  it.each([
    [undefined, undefined],
    ['SUB trades', 'SUB trades'],
    [{ type: 'subscribe', channels: ['matches'] }, '{"type":"subscribe","channels":["matches"]}'],
    [['a', 1], '["a",1]'],
  ])('%j → %j', (subscribe, expected) => {
    expect(subscribeMessage(subscribe)).toBe(expected);
  });
});

describe('SSE request headers', () => {
  const accept = { Accept: 'text/event-stream' };
  it.each([
    [{}, accept, undefined, { Accept: 'text/event-stream' }],
    [{ 'User-Agent': 'ua' }, accept, '42', { 'User-Agent': 'ua', Accept: 'text/event-stream', 'Last-Event-ID': '42' }],
    // EventSource's own id (a retry it makes itself) is newer than the last stored one.
    [{}, { ...accept, 'Last-Event-ID': '50' }, '42', { Accept: 'text/event-stream', 'Last-Event-ID': '50' }],
  ])('%j + %j resuming after %j', (configured, own, stored, expected) => {
    expect(requestHeaders(configured, own, stored)).toEqual(expected);
  });
});

describe('messageRecords', () => {
  it.each([
    ['{"data":{"items":[1,2]}}', 'data.items', [1, 2]],
    ['{"a":1}', '', [{ a: 1 }]],
    ['not json', '', ['not json']],
    ['  \n', '', []],
  ])('%j at "%s"', (payload, path, expected) => {
    expect(messageRecords(payload, path)).toEqual(expected);
    expect(messageRecords(Buffer.from(payload), path)).toEqual(expected);
  });
});

describe('reconnect backoff', () => {
  it('stays between half and all of base × 2^attempt, capped', () => {
    expect(reconnectDelayMs(0, 500, 30_000, () => 0)).toBe(250);
    expect(reconnectDelayMs(0, 500, 30_000, () => 1)).toBe(500);
    expect(reconnectDelayMs(3, 500, 30_000, () => 0.5)).toBe(3_000);
    expect(reconnectDelayMs(50, 500, 30_000, () => 1)).toBe(30_000);
    expect(reconnectDelayMs(50, 500, 30_000, () => 0)).toBe(15_000);
  });

  it('grows over connections that delivered nothing and starts over after one that delivered', async () => {
    const controller = new AbortController();
    const delays: number[] = [];
    const outcomes = [false, false, false, true, false];
    await keepConnected({
      name: 'test',
      signal: controller.signal,
      log: (message) => delays.push(Number(/in (\d+) ms/.exec(message)?.[1])),
      reconnectBaseMs: 10,
      reconnectMaxMs: 10_000,
      connect: async () => {
        const delivered = outcomes.shift();
        if (outcomes.length === 0) controller.abort();
        return { delivered: delivered ?? false, reason: 'closed' };
      },
    });
    // Attempts 1, 2, 3 (each in [half, all] of 10 × 2^attempt), then 0 after the delivering connection.
    expect(delays).toHaveLength(4);
    const bounds = [20, 40, 80, 10];
    delays.forEach((delay, index) => {
      expect(delay).toBeGreaterThanOrEqual(bounds[index]! / 2);
      expect(delay).toBeLessThanOrEqual(bounds[index]!);
    });
  });
});

describe('MQTT credentials from files', () => {
  it('reads a secret file without its trailing newline and names the field when it cannot', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mqtt-secret-')), 'password');
    writeFileSync(file, 's3cret\n');
    expect(readSecretFile('passwordFile', file)).toBe('s3cret');
    expect(readSecretFile('passwordFile', undefined)).toBeUndefined();
    expect(() => readSecretFile('passwordFile', '/nonexistent/password')).toThrow(
      'mqtt source: passwordFile /nonexistent/password cannot be read',
    );
  });
});

describe('the shipped streaming stream files', () => {
  const streams = resolve(import.meta.dirname, '../../../../streams');
  it.each([
    [
      'positions.yaml',
      { deviceId: 'phone-17', lat: 40.4168, lon: -3.7038, accuracy: 12.5, ts: 1733112000123 },
      { deviceId: 'phone-17', lat: 40.4168, lon: -3.7038, accuracy: 12.5, ts: 1733112000123, id: 'phone-17-1733112000123' },
    ],
    [
      'wikimedia.yaml',
      {
        meta: { id: '5a1f0c7e-1b2c-4d3e-8f90-123456789abc', domain: 'en.wikipedia.org' },
        wiki: 'enwiki',
        type: 'edit',
        title: 'Tormenta',
        user: 'Example',
        bot: false,
        timestamp: 1733112000,
        server_name: 'en.wikipedia.org',
        comment: 'not carried',
      },
      {
        id: '5a1f0c7e-1b2c-4d3e-8f90-123456789abc',
        wiki: 'enwiki',
        type: 'edit',
        title: 'Tormenta',
        user: 'Example',
        bot: false,
        timestamp: 1733112000,
        server: 'en.wikipedia.org',
      },
    ],
    [
      'trades.yaml',
      {
        type: 'match',
        trade_id: 7,
        product_id: 'BTC-USD',
        price: '97000.5',
        size: '0.01',
        side: 'buy',
        time: '2025-01-01T00:00:00Z',
      },
      { id: 'BTC-USD-7', product: 'BTC-USD', price: 97000.5, size: 0.01, side: 'buy', time: '2025-01-01T00:00:00Z' },
    ],
  ])('%s turns a sample message into the record its schema expects', async (name, message, expected) => {
    const stream = await compileStream(loadStreamFile(join(streams, name)));
    const conversion = await convertRecords(stream, [message]);
    expect(conversion.invalid).toEqual([]);
    expect(JSON.parse(String(conversion.messages[0]?.value))).toEqual(expected);
  });

  it.each([
    ['wikimedia.yaml', { meta: { id: 'x', domain: 'canary' }, wiki: 'enwiki', type: 'edit', timestamp: 1 }],
    ['trades.yaml', { type: 'subscriptions', channels: [] }],
  ])('%s drops a message that carries no record', async (name, message) => {
    const conversion = await convertRecords(await compileStream(loadStreamFile(join(streams, name))), [message]);
    expect(conversion).toMatchObject({ messages: [], dropped: 1, invalidCount: 0 });
  });
});
