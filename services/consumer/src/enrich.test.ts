import { describe, expect, it } from '@jest/globals';
import { decodeBatch, distinctIds, enrichBatch } from './enrich.ts';
import type { SourceRecord } from './record.ts';

const at = new Date('2025-01-02T03:04:05.000Z');
let offset = 0;
function record(value: unknown): SourceRecord {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return { source: { topic: 't', partition: 0, offset: String(offset++) }, key: null, value: Buffer.from(text) };
}
const names = {
  personas: new Map<number, string | null>([
    [1, 'Ana'],
    [2, 'Luis'],
  ]),
  empresas: new Map<number, string | null>([[10, 'Acme']]),
};

describe('decodeBatch and distinctIds', () => {
  it('splits valid records from dead letters and lists each ID once', () => {
    const decoded = decodeBatch([
      record({ ID_PERSONA: 1, ID_EMPRESA: 10, MONTO: 5 }),
      record('{nope'),
      record({ ID_PERSONA: 1, ID_EMPRESA: 11, MONTO: 6 }),
      record({ ID_PERSONA: 'x', ID_EMPRESA: 11, MONTO: 6 }),
    ]);
    expect(decoded.valid).toHaveLength(2);
    expect(decoded.deadLetters.map((letter) => letter.reason)).toEqual(['malformed_json', 'invalid_record']);
    expect(distinctIds(decoded.valid)).toEqual({ personas: [1], empresas: [10, 11] });
  });
});

describe('enrichBatch', () => {
  it('builds rows with the names and the processing time, in the mapped columns', () => {
    const result = enrichBatch(decodeBatch([record({ ID_PERSONA: 2, ID_EMPRESA: 10, MONTO: 12.5 })]), names, 'null', at);
    expect(result.rows).toHaveLength(1);
    expect(result.rows[0]?.cells).toEqual({
      'd:ID_PERSONA': '2',
      'd:NOMBRE_PERSONA': 'Luis',
      'd:ID_EMPRESA': '10',
      'd:NOMBRE_EMPRESA': 'Acme',
      'd:MONTO': '12.5',
      'd:FECHA': '2025-01-02T03:04:05.000Z',
    });
    expect(result.outcomes).toEqual({ enriched: 1, unknown_id: 0, dead_lettered: 0 });
  });

  it.each([
    [
      'unknown persona, policy null',
      { ID_PERSONA: 9, ID_EMPRESA: 10, MONTO: 1 },
      'null',
      { rows: 1, dlq: undefined, outcome: 'unknown_id', absent: 'd:NOMBRE_PERSONA' },
    ],
    [
      'unknown empresa, policy null',
      { ID_PERSONA: 1, ID_EMPRESA: 99, MONTO: 1 },
      'null',
      { rows: 1, dlq: undefined, outcome: 'unknown_id', absent: 'd:NOMBRE_EMPRESA' },
    ],
    [
      'unknown persona, policy dlq',
      { ID_PERSONA: 9, ID_EMPRESA: 10, MONTO: 1 },
      'dlq',
      { rows: 0, dlq: 'unknown_persona', outcome: 'dead_lettered', absent: undefined },
    ],
    [
      'unknown empresa, policy dlq',
      { ID_PERSONA: 1, ID_EMPRESA: 99, MONTO: 1 },
      'dlq',
      { rows: 0, dlq: 'unknown_empresa', outcome: 'dead_lettered', absent: undefined },
    ],
    [
      'persona mapped to null, policy dlq',
      { ID_PERSONA: 3, ID_EMPRESA: 10, MONTO: 1 },
      'dlq',
      { rows: 0, dlq: 'unknown_persona', outcome: 'dead_lettered', absent: undefined },
    ],
  ] as const)('%s', (_name, transaction, policy, expected) => {
    const withNull = { ...names, personas: new Map([...names.personas, [3, null]]) };
    const result = enrichBatch(decodeBatch([record(transaction)]), withNull, policy, at);
    expect(result.rows).toHaveLength(expected.rows);
    expect(result.deadLetters[0]?.reason).toBe(expected.dlq);
    expect(result.outcomes[expected.outcome]).toBe(1);
    if (expected.absent !== undefined) {
      expect(result.rows[0]?.cells).not.toHaveProperty(expected.absent);
      expect(Object.keys(result.rows[0]?.cells ?? {})).toHaveLength(5);
    }
  });

  it('keeps decode failures as dead letters with their original bytes', () => {
    const bad = record('{"ID_PERSONA":');
    const result = enrichBatch(decodeBatch([bad]), names, 'null', at);
    expect(result.rows).toEqual([]);
    expect(result.deadLetters[0]).toMatchObject({ record: bad, reason: 'malformed_json' });
    expect(result.outcomes.dead_lettered).toBe(1);
  });
});
