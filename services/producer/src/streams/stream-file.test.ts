import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../errors.ts';
import { compileStream } from './convert.ts';
import { loadStreamFile, parseStream } from './stream-file.ts';

const STREAMS = resolve(import.meta.dirname, '../../../../streams');

function fileWith(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'stream-file-')), name);
  writeFileSync(file, text);
  return file;
}

const base = { name: 'iss', source: { kind: 'http-poll', url: 'http://127.0.0.1:1/iss' }, topic: 'topic_iss' };

describe('the shipped stream files', () => {
  const shipped = readdirSync(STREAMS).filter((name) => name.endsWith('.yaml'));

  it('include the transactions and one stream per kind of source', () => {
    expect(shipped).toEqual(
      expect.arrayContaining(['transacciones.yaml', 'iss.yaml', 'positions.yaml', 'wikimedia.yaml', 'trades.yaml']),
    );
  });

  it.each(shipped)('%s loads and compiles', async (name) => {
    const spec = loadStreamFile(join(STREAMS, name));
    expect(spec.name).toBe(name.replace('.yaml', ''));
    await expect(compileStream(spec)).resolves.toMatchObject({ spec });
  });
});

describe('a stream file that cannot be used stops start-up naming the file and the field', () => {
  it.each([
    [{ ...base, topic: 'a topic' }, '/topic: must be a Kafka topic name'],
    [{ ...base, name: 'ISS' }, '/name: must be a DNS label'],
    [{ ...base, format: 'xml' }, '/format: '],
    [{ ...base, colour: 'red' }, '/colour: not a known field'],
    [
      { ...base, source: { kind: 'ftp' } },
      '/source/kind: unknown source "ftp"; known: http-push, file-sample, http-poll, html-scrape',
    ],
    [{ ...base, source: { kind: 'http-poll' } }, '/source/url: '],
    [{ ...base, source: { kind: 'http-poll', url: 'http://x', every: 5 } }, '/source/every: not a known field'],
    [{ ...base, maxRecordBytes: 2_000_000 }, '/maxRecordBytes: '],
    [{ ...base, key: 'a..b' }, '/key: must be a field name or a dot path'],
    [{ ...base, format: 'bytes', schema: { type: 'object' } }, '/format: bytes records are carried as they are'],
    [{ ...base, schema: 'missing.schema.json' }, 'missing.schema.json cannot be read'],
  ])('%j → %s', (document, expected) => {
    const run = () => parseStream(document, '/etc/tormenta/stream.yaml');
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(expected);
    if (!expected.includes('cannot be read')) expect(run).toThrow('/etc/tormenta/stream.yaml: ');
  });

  it('names the file when it is not YAML', () => {
    const file = fileWith('stream.yaml', 'name: [unclosed');
    expect(() => loadStreamFile(file)).toThrow(`${file}: not valid YAML`);
  });

  it('names the file and the field when the schema does not compile', async () => {
    const spec = parseStream({ ...base, schema: { type: 'objekt' } }, '/s.yaml');
    await expect(compileStream(spec)).rejects.toThrow('/s.yaml: /schema: does not compile as JSON Schema 2020-12');
  });

  it('names the file and the field when the transform does not parse', async () => {
    const spec = parseStream({ ...base, transform: '{ "a": ' }, '/s.yaml');
    await expect(compileStream(spec)).rejects.toThrow('/s.yaml: /transform: not a JSONata expression');
  });

  it('reads a schema file relative to the stream file', () => {
    const schemaFile = fileWith('position.schema.json', JSON.stringify({ type: 'object', required: ['lat'] }));
    const spec = parseStream({ ...base, schema: 'position.schema.json' }, join(schemaFile, '..', 'stream.yaml'));
    expect(spec.schema).toEqual({ type: 'object', required: ['lat'] });
  });
});
