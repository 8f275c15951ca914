import { resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { decodeRecord } from './record.ts';
import { loadSinkFile, parseSink } from './sink-file.ts';

const transactions = loadSinkFile(resolve(import.meta.dirname, '../../../sinks/transacciones.yaml'));
const schemaless = parseSink({ name: 'raw', topic: 't', group: 'g', table: 'T', rowKey: '{code}' }, '/raw.yaml');
const source = { topic: 't', partition: 0, offset: '9' };
const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');
const decode = (sink: typeof transactions, value: Buffer | null) => decodeRecord(sink, { source, key: null, value });

describe('decodeRecord with the transactions sink', () => {
  it.each([
    ['a plain transaction', '{"ID_PERSONA":1,"ID_EMPRESA":2,"MONTO":10.5}', 'o:t:0:9'],
    ['a string id', '{"ID_PERSONA":1,"ID_EMPRESA":2,"MONTO":0,"id":"abc"}', 'id:abc'],
    ['a numeric id', '{"ID_PERSONA":1,"ID_EMPRESA":2,"MONTO":-3,"id":42}', 'id:42'],
    ['unknown extra fields', '{"ID_PERSONA":1,"ID_EMPRESA":2,"MONTO":1,"x":true}', 'o:t:0:9'],
  ])('accepts %s, keyed by %s', (_name, json, identity) => {
    const result = decode(transactions, bytes(json));
    expect(result).toMatchObject({ ok: true, fields: JSON.parse(json) as unknown });
    expect(result.ok && result.rowKey.slice(3)).toBe(identity);
  });

  it.each([
    ['null value', null, 'malformed_json', /empty/],
    ['empty value', bytes(''), 'malformed_json', /empty/],
    ['truncated JSON', bytes('{"ID_PERSONA":1,'), 'malformed_json', /JSON/],
    ['not JSON at all', bytes('hola'), 'malformed_json', /JSON|Unexpected/],
    ['a JSON array', bytes('[1,2]'), 'invalid_record', /^\/: must be object/],
    [
      'ID_PERSONA as a string',
      bytes('{"ID_PERSONA":"1","ID_EMPRESA":2,"MONTO":1}'),
      'invalid_record',
      /^\/ID_PERSONA: must be integer$/,
    ],
    ['fractional ID_EMPRESA', bytes('{"ID_PERSONA":1,"ID_EMPRESA":2.5,"MONTO":1}'), 'invalid_record', /ID_EMPRESA/],
    ['negative ID', bytes('{"ID_PERSONA":-1,"ID_EMPRESA":2,"MONTO":1}'), 'invalid_record', /ID_PERSONA: must be >= 0/],
    ['MONTO missing', bytes('{"ID_PERSONA":1,"ID_EMPRESA":2}'), 'invalid_record', /must have required property 'MONTO': MONTO/],
    ['MONTO as text', bytes('{"ID_PERSONA":1,"ID_EMPRESA":2,"MONTO":"10"}'), 'invalid_record', /MONTO/],
    ['empty id', bytes('{"ID_PERSONA":1,"ID_EMPRESA":2,"MONTO":1,"id":""}'), 'invalid_record', /\/id/],
  ])('rejects %s', (_name, value, reason, detail) => {
    const result = decode(transactions, value);
    expect(result).toMatchObject({ ok: false, reason });
    if (!result.ok) expect(result.detail).toMatch(detail);
  });
});

describe('decodeRecord without a schema', () => {
  it('takes any JSON object that fills a row-key template', () => {
    expect(decode(schemaless, bytes('{"code":"A1","nested":{"x":1}}'))).toMatchObject({ ok: true, fields: { code: 'A1' } });
  });

  it.each([
    ['a JSON number', '5', /a record must be a JSON object/],
    ['a JSON string', '"hola"', /a record must be a JSON object/],
    ['an object without the key field', '{"name":"x"}', /no row key: every rowKey template needs a field it lacks \(code\)/],
  ])('refuses %s as invalid_record', (_name, json, detail) => {
    const result = decode(schemaless, bytes(json));
    expect(result).toMatchObject({ ok: false, reason: 'invalid_record' });
    if (!result.ok) expect(result.detail).toMatch(detail);
  });
});
