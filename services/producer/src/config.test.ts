import { describe, expect, it } from '@jest/globals';
import { envNameToKey, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('applies defaults', () => {
    const config = loadConfig({});
    expect(config.source).toBe('http-push');
    expect(config.topic).toBe('topic_transaccion');
    expect(config.topicRetentionMs).toBe(3_600_000);
    expect(config.keyField).toBe('ID_PERSONA');
    expect(config.kafkaBrokers).toEqual(['127.0.0.1:9092']);
    expect(config.lease.mode).toBe('file');
  });

  it('reads values and the selected source settings', () => {
    const config = loadConfig({
      PRODUCER_SOURCE: 'http-poll',
      PRODUCER_KAFKA_BROKERS: 'a:1, b:2',
      PRODUCER_POLL_URL: 'http://127.0.0.1:1/x',
      PRODUCER_POLL_RECORDS_PATH: 'data.items',
      KUBERNETES_SERVICE_HOST: '10.0.0.1',
    });
    expect(config.kafkaBrokers).toEqual(['a:1', 'b:2']);
    expect(config.sourceConfig).toMatchObject({ url: 'http://127.0.0.1:1/x', recordsPath: 'data.items', intervalMs: 1_000 });
    expect(config.lease.mode).toBe('kubernetes');
  });

  it.each([
    [{ PRODUCER_PORT: 'abc' }, 'PRODUCER_PORT'],
    [{ PRODUCER_PROT: '1' }, 'PRODUCER_PROT: not a known setting'],
    [{ PRODUCER_SOURCE: 'ftp' }, 'PRODUCER_SOURCE'],
    [{ PRODUCER_KAFKA_BROKERS: 'nohost' }, 'PRODUCER_KAFKA_BROKERS'],
    [{ PRODUCER_AUTH_TOKEN: 'short' }, 'PRODUCER_AUTH_TOKEN'],
    [{ PRODUCER_SOURCE: 'http-poll' }, 'PRODUCER_POLL_URL'],
    [{ PRODUCER_POLL_URL: 'http://x' }, 'PRODUCER_POLL_URL: set, but PRODUCER_SOURCE is http-push'],
    [{ PRODUCER_SOURCE: 'html-scrape', PRODUCER_SCRAPE_URL_TEMPLATE: 'http://x/{page}', PRODUCER_SCRAPE_LAST_PAGE: '2', PRODUCER_SCRAPE_ITEM_SELECTOR: 'li', PRODUCER_SCRAPE_FIELDS: '{bad' }, 'PRODUCER_SCRAPE_FIELDS'],
    [{ PRODUCER_LEASE_RENEW_MS: '20000' }, 'PRODUCER_LEASE_RENEW_MS'],
  ])('%j stops start-up naming %s', (env, expected) => {
    expect(() => loadConfig(env)).toThrow(expected);
  });
});

describe('envNameToKey', () => {
  it('turns the variable into a camelCase key', () => {
    expect(envNameToKey('PRODUCER_MAX_INFLIGHT_RECORDS', 'PRODUCER_')).toBe('maxInflightRecords');
  });
});
