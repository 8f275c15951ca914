import { describe, expect, it } from '@jest/globals';
import { parseRowKeyTemplate, recordIdentity, rowKey, saltOf, SALT_HEX_CHARS } from './row-key.ts';
import type { RowKeyTemplate } from './row-key.ts';

const templates = (...sources: string[]): RowKeyTemplate[] =>
  sources.map((source) => {
    const parsed = parseRowKeyTemplate(source);
    if ('problem' in parsed) throw new Error(parsed.problem);
    return parsed;
  });
const transactions = templates('id:{id}', 'o:{@topic}:{@partition}:{@offset}');
const tx = { ID_PERSONA: 1, ID_EMPRESA: 2, MONTO: 3 };
const at = (partition: number, offset: string) => ({ topic: 'topic_transaccion', partition, offset });

describe('row-key templates', () => {
  it.each([
    ['id:{id}', ['id']],
    ['{@offset}', []],
    ['{pais}|{position.lat}:{@partition}', ['pais', 'position.lat']],
  ])('parse %s, reading fields %j', (source, fields) => {
    expect(parseRowKeyTemplate(source)).toMatchObject({ template: source, fields });
  });

  it.each([
    ['constant', /references no field and no Kafka coordinate/],
    ['', /references no field/],
    ['id:{id', /"\{" without "\}"/],
    ['id}', /"\}" without "\{"/],
    ['{@timestamp}', /not a Kafka coordinate; known: \{@topic\}, \{@partition\}, \{@offset\}/],
    ['{a..b}', /must name a field or a dot path/],
    ['{}', /must name a field/],
  ])('refuse %j', (source, problem) => {
    const parsed = parseRowKeyTemplate(source);
    expect('problem' in parsed && parsed.problem).toMatch(problem);
  });
});

describe('recordIdentity: the first template the record fills', () => {
  it.each([
    ['its own string id', { ...tx, id: 'abc' }, at(0, '7'), 'id:abc'],
    ['its own numeric id, as JavaScript writes it', { ...tx, id: 42 }, at(0, '7'), 'id:42'],
    ['no id: its Kafka coordinates', tx, at(2, '18734'), 'o:topic_transaccion:2:18734'],
    ['an empty id identifies nothing', { ...tx, id: '' }, at(1, '1'), 'o:topic_transaccion:1:1'],
    ['a null id identifies nothing', { ...tx, id: null }, at(1, '2'), 'o:topic_transaccion:1:2'],
    ['an object id identifies nothing', { ...tx, id: { a: 1 } }, at(1, '3'), 'o:topic_transaccion:1:3'],
  ])('%s', (_name, record, source, identity) => {
    expect(recordIdentity(transactions, record, source)).toBe(identity);
  });

  it('reads nested fields and booleans', () => {
    expect(recordIdentity(templates('{pos.lat}/{ok}'), { pos: { lat: -51.5 }, ok: true }, at(0, '0'))).toBe('-51.5/true');
  });

  it('is undefined when no template can be filled', () => {
    expect(recordIdentity(templates('{id}', 'x:{code}'), tx, at(0, '0'))).toBeUndefined();
  });
});

describe('rowKey', () => {
  it('is deterministic: a replayed record gets the same key', () => {
    expect(rowKey(transactions, tx, at(1, '5'))).toBe(rowKey(transactions, { ...tx, MONTO: 99 }, at(1, '5')));
    expect(rowKey(transactions, { ...tx, id: 'x' }, at(0, '1'))).toBe(rowKey(transactions, { ...tx, id: 'x' }, at(2, '900')));
  });

  it('differs for different records', () => {
    const keys = new Set(Array.from({ length: 1000 }, (_, offset) => rowKey(transactions, tx, at(0, String(offset)))));
    expect(keys.size).toBe(1000);
  });

  it('starts with a short hash salt that spreads consecutive offsets over many buckets', () => {
    const key = rowKey(transactions, tx, at(0, '1'));
    expect(key).toBe(`${saltOf('o:topic_transaccion:0:1')}|o:topic_transaccion:0:1`);
    expect(key).toMatch(new RegExp(`^[0-9a-f]{${SALT_HEX_CHARS}}\\|o:`));
    const salts = new Set(Array.from({ length: 2000 }, (_, offset) => saltOf(`o:t:0:${offset}`)));
    expect(salts.size).toBeGreaterThan(200); // of 256
  });
});
