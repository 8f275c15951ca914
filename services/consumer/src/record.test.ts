import { describe, expect, it } from '@jest/globals';
import { decodeRecord } from './record.ts';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

describe('decodeRecord', () => {
  it.each([
    ['a plain transaction', '{"ID_PERSONA":1,"ID_EMPRESA":2,"MONTO":10.5}', { ID_PERSONA: 1, ID_EMPRESA: 2, MONTO: 10.5 }],
    [
      'a string id',
      '{"ID_PERSONA":1,"ID_EMPRESA":2,"MONTO":0,"id":"abc"}',
      { ID_PERSONA: 1, ID_EMPRESA: 2, MONTO: 0, id: 'abc' },
    ],
    [
      'a numeric id, kept as text',
      '{"ID_PERSONA":1,"ID_EMPRESA":2,"MONTO":-3,"id":42}',
      { ID_PERSONA: 1, ID_EMPRESA: 2, MONTO: -3, id: '42' },
    ],
    [
      'unknown extra fields, dropped',
      '{"ID_PERSONA":1,"ID_EMPRESA":2,"MONTO":1,"x":true}',
      { ID_PERSONA: 1, ID_EMPRESA: 2, MONTO: 1 },
    ],
  ])('accepts %s', (_name, json, transaction) => {
    expect(decodeRecord(bytes(json))).toEqual({ ok: true, transaction });
  });

  it.each([
    ['null value', null, 'malformed_json', /empty/],
    ['empty value', bytes(''), 'malformed_json', /empty/],
    ['truncated JSON', bytes('{"ID_PERSONA":1,'), 'malformed_json', /JSON/],
    ['not JSON at all', bytes('hola'), 'malformed_json', /JSON|Unexpected/],
    ['a JSON array', bytes('[1,2]'), 'invalid_record', /expected object/],
    ['ID_PERSONA as a string', bytes('{"ID_PERSONA":"1","ID_EMPRESA":2,"MONTO":1}'), 'invalid_record', /ID_PERSONA/],
    ['fractional ID_EMPRESA', bytes('{"ID_PERSONA":1,"ID_EMPRESA":2.5,"MONTO":1}'), 'invalid_record', /ID_EMPRESA/],
    ['negative ID', bytes('{"ID_PERSONA":-1,"ID_EMPRESA":2,"MONTO":1}'), 'invalid_record', /ID_PERSONA/],
    ['MONTO missing', bytes('{"ID_PERSONA":1,"ID_EMPRESA":2}'), 'invalid_record', /MONTO/],
    ['MONTO as text', bytes('{"ID_PERSONA":1,"ID_EMPRESA":2,"MONTO":"10"}'), 'invalid_record', /MONTO/],
    ['empty id', bytes('{"ID_PERSONA":1,"ID_EMPRESA":2,"MONTO":1,"id":""}'), 'invalid_record', /id/],
  ])('rejects %s', (_name, value, reason, detail) => {
    const result = decodeRecord(value);
    expect(result).toMatchObject({ ok: false, reason });
    if (!result.ok) expect(result.detail).toMatch(detail);
  });
});
