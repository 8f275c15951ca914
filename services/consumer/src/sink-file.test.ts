import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse as parseYaml } from 'yaml';
import { ConsumerError } from './errors.ts';
import { dlqReasons, loadSinkFile, parseSink } from './sink-file.ts';

const SINKS = resolve(import.meta.dirname, '../../../sinks');
const FILE = '/etc/tormenta/sink/sink.yaml';

function fileWith(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'sink-file-')), name);
  writeFileSync(file, text);
  return file;
}

const base = { name: 'iss', topic: 'topic_iss', group: 'g', table: 'ISS', rowKey: 'iss:{id}' };
const lookup = { field: 'code', table: 'COUNTRY', columns: { NAME: 'COUNTRY' } };

describe('the shipped sink files', () => {
  it.each(readdirSync(SINKS).filter((name) => name.endsWith('.yaml')))('%s loads, its schema compiled', (name) => {
    const sink = loadSinkFile(join(SINKS, name));
    expect(sink.name).toBe(name.replace('.yaml', ''));
    expect(sink.validate).toBeInstanceOf(Function);
  });

  it('transacciones: enriches from PERSONA and EMPRESA into TRANSACCION_ENRIQUECIDA', () => {
    const sink = loadSinkFile(join(SINKS, 'transacciones.yaml'));
    expect(sink).toMatchObject({
      topic: 'topic_transaccion',
      table: 'TRANSACCION_ENRIQUECIDA',
      family: 'd',
      processingTimeColumn: 'FECHA',
    });
    expect(sink.lookups.map(({ name, table, columns }) => [name, table, columns])).toEqual([
      ['persona', 'PERSONA', [['NOMBRE', 'NOMBRE_PERSONA']]],
      ['empresa', 'EMPRESA', [['NOMBRE', 'NOMBRE_EMPRESA']]],
    ]);
  });

  it("the chart's default consumer carries sinks/transacciones.yaml as it is", () => {
    const values = parseYaml(readFileSync(resolve(SINKS, '../charts/tormenta/values.yaml'), 'utf8')) as {
      consumers: { sink: unknown }[];
    };
    expect(values.consumers[0]?.sink).toEqual(parseYaml(readFileSync(join(SINKS, 'transacciones.yaml'), 'utf8')));
  });

  it('iss: topic_iss into its own table, nothing looked up', () => {
    expect(loadSinkFile(join(SINKS, 'iss.yaml'))).toMatchObject({ topic: 'topic_iss', table: 'ISS_POSICION', lookups: [] });
  });
});

describe('defaults', () => {
  it('a 1 s cadence, family d, every field written, lookups leaving a miss empty', () => {
    const sink = parseSink({ ...base, lookups: [lookup] }, FILE);
    expect(sink).toMatchObject({ batchIntervalMs: 1_000, family: 'd', columns: { kind: 'all-fields' }, schema: undefined });
    expect(sink.lookups[0]).toMatchObject({ name: 'country', reason: 'unknown_country', onMissing: 'empty', family: 'd' });
    expect(dlqReasons(sink)).toEqual(['malformed_json', 'invalid_record']);
    const strict = parseSink({ ...base, lookups: [{ ...lookup, onMissing: 'dead-letter' }] }, FILE);
    expect(dlqReasons(strict)).toEqual(['malformed_json', 'invalid_record', 'unknown_country']);
  });
});

describe('a sink file that cannot be used stops start-up naming the file and the field', () => {
  it.each([
    ['an unknown field', { ...base, colour: 'red' }, '/colour: not a known field'],
    ['an unknown lookup field', { ...base, lookups: [{ ...lookup, cache: 5 }] }, '/lookups/0/cache: not a known field'],
    ['no name', { ...base, name: undefined }, '/name: '],
    ['a name that is no DNS label', { ...base, name: 'ISS' }, '/name: must be a DNS label'],
    ['a bad topic', { ...base, topic: 'a topic' }, '/topic: must be a Kafka topic name'],
    ['no group', { ...base, group: undefined }, '/group: '],
    ['a cadence of 0 ms', { ...base, batchIntervalMs: 0 }, '/batchIntervalMs: '],
    ['a bad table name', { ...base, table: 'my table' }, '/table: must be an HBase table name'],
    ['a row key referencing nothing', { ...base, rowKey: 'iss' }, '/rowKey: "iss" references no field and no Kafka coordinate'],
    ['a second row key referencing nothing', { ...base, rowKey: ['{id}', 'fixed'] }, '/rowKey/1: "fixed" references no field'],
    ['an unknown Kafka coordinate', { ...base, rowKey: '{@key}' }, '/rowKey: {@key} is not a Kafka coordinate'],
    ['an unclosed placeholder', { ...base, rowKey: '{id' }, '/rowKey: "{" without "}"'],
    ['no row key', { ...base, rowKey: undefined }, '/rowKey: must be a template such as "id:{id}" or a list of them'],
    ['an empty list of row keys', { ...base, rowKey: [] }, '/rowKey: '],
    [
      'a column that is neither a name nor an object',
      { ...base, columns: [5] },
      '/columns/0: must be a column name or {name, field?, type?}',
    ],
    [
      'a row key field the closed schema does not allow',
      { ...base, rowKey: '{uid}', schema: { type: 'object', properties: { id: {} }, additionalProperties: false } },
      '/rowKey: uid is not a field the schema (/schema) allows',
    ],
    ['a lookup without table', { ...base, lookups: [{ field: 'code', columns: { NAME: 'COUNTRY' } }] }, '/lookups/0/table: '],
    [
      'a lookup without columns',
      { ...base, lookups: [{ ...lookup, columns: {} }] },
      '/lookups/0/columns: must map at least one column',
    ],
    [
      'a lookup writing a bad column name',
      { ...base, lookups: [{ ...lookup, columns: { NAME: 'country name' } }] },
      '/lookups/0/columns/NAME: must be a column name',
    ],
    ['an unknown onMissing', { ...base, lookups: [{ ...lookup, onMissing: 'null' }] }, '/lookups/0/onMissing: '],
    [
      'two lookups of one name',
      { ...base, lookups: [lookup, { ...lookup, columns: { CODE: 'C2' } }] },
      '/lookups/1/name: "country" names lookup 0 too',
    ],
    [
      'two lookups writing one column',
      { ...base, lookups: [lookup, { ...lookup, name: 'other', columns: { X: 'COUNTRY' } }] },
      '/lookups/1/columns/X: COUNTRY is written by /lookups/0/columns/NAME too',
    ],
    [
      'a lookup writing the processing time column',
      { ...base, processingTimeColumn: 'COUNTRY', lookups: [lookup] },
      '/lookups/0/columns/NAME: COUNTRY is written by /processingTimeColumn too',
    ],
    [
      'declared columns without a looked-up one',
      { ...base, lookups: [lookup], columns: ['id'] },
      '/lookups/0/columns/NAME: COUNTRY is not written: /columns does not list it',
    ],
    [
      'declared columns without the processing time',
      { ...base, processingTimeColumn: 'AT', columns: ['id'] },
      '/processingTimeColumn: AT is not written',
    ],
    ['a column twice (Hive ignores case)', { ...base, columns: ['id', 'ID'] }, '/columns/1: ID is column 0 too'],
    [
      'a field for a looked-up column',
      { ...base, lookups: [lookup], columns: [{ name: 'COUNTRY', field: 'x' }] },
      '/columns/0/field: COUNTRY is written from /lookups/0/columns/NAME; it takes no field',
    ],
    ['an unknown Hive type', { ...base, columns: [{ name: 'id', type: 'INT' }] }, '/columns/0'],
    [
      'a column field the closed schema does not allow',
      {
        ...base,
        columns: ['id', { name: 'LAT', field: 'pos.lat' }],
        schema: { type: 'object', properties: { id: {} }, additionalProperties: false },
      },
      '/columns/1/field: pos is not a field the schema (/schema) allows',
    ],
    [
      'a schema that does not compile',
      { ...base, schema: { type: 'objekt' } },
      '/schema: does not compile as JSON Schema 2020-12',
    ],
    ['a schema that is no object', { ...base, schema: 5 }, '/schema: '],
  ])('%s', (_name, document, expected) => {
    const run = () => parseSink(document, FILE);
    expect(run).toThrow(ConsumerError);
    expect(run).toThrow(`${FILE}: ${expected}`);
  });

  it('is a TORMENTA_CONSUMER_CONFIG_INVALID error listing every problem', () => {
    let thrown: unknown;
    try {
      parseSink({ ...base, topic: 'a topic', colour: 'red' }, FILE);
    } catch (error) {
      thrown = error;
    }
    expect((thrown as ConsumerError).code).toBe('TORMENTA_CONSUMER_CONFIG_INVALID');
    expect((thrown as Error).message).toContain(`${FILE}: /topic: `);
    expect((thrown as Error).message).toContain(`${FILE}: /colour: not a known field`);
  });

  it('names the file when it is not YAML', () => {
    const file = fileWith('sink.yaml', 'name: [unclosed');
    expect(() => loadSinkFile(file)).toThrow(`${file}: not valid YAML`);
  });

  it('names the file when it cannot be read', () => {
    expect(() => loadSinkFile('/nowhere/sink.yaml')).toThrow('sink file /nowhere/sink.yaml cannot be read');
  });

  it('reads a schema file relative to the sink file, and names it when it is missing', () => {
    const schemaFile = fileWith('position.schema.json', JSON.stringify({ type: 'object', required: ['lat'] }));
    const sink = parseSink({ ...base, schema: 'position.schema.json' }, join(schemaFile, '..', 'sink.yaml'));
    expect(sink.schema).toEqual({ type: 'object', required: ['lat'] });
    expect(sink.validate?.({ lat: 1 })).toBe(true);
    expect(() => parseSink({ ...base, schema: 'missing.schema.json' }, FILE)).toThrow(
      '/etc/tormenta/sink/missing.schema.json cannot be read',
    );
  });
});
