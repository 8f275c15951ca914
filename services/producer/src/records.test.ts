import { describe, expect, it } from '@jest/globals';
import { convert, isTransaction, recordErrors, toMessage, validateRecords, withId } from './records.ts';

describe('recordErrors', () => {
  it.each([
    [{ ID_PERSONA: 1, ID_EMPRESA: 2, MONTO: 3.5 }, []],
    [{ ID_PERSONA: 1, ID_EMPRESA: 2, MONTO: 0, id: 'abc' }, []],
    [null, ['']],
    [[1, 2], ['']],
    ['text', ['']],
    [{ ID_EMPRESA: 2, MONTO: 1 }, ['ID_PERSONA']],
    [{ ID_PERSONA: -1, ID_EMPRESA: 2, MONTO: 1 }, ['ID_PERSONA']],
    [{ ID_PERSONA: 1.5, ID_EMPRESA: '2', MONTO: 1 }, ['ID_PERSONA', 'ID_EMPRESA']],
    [{ ID_PERSONA: 1, ID_EMPRESA: 2, MONTO: '10' }, ['MONTO']],
    [{ ID_PERSONA: 1, ID_EMPRESA: 2 }, ['MONTO']],
    [{ ID_PERSONA: 1, ID_EMPRESA: 2, MONTO: 1, id: '' }, ['id']],
    [{ ID_PERSONA: 1, ID_EMPRESA: 2, MONTO: 1, id: 'x'.repeat(129) }, ['id']],
    [{ ID_PERSONA: 1, ID_EMPRESA: 2, MONTO: 1, extra: true }, ['extra']],
  ])('%j → fields %j', (record, fields) => {
    expect(recordErrors(record, 7).map((error) => error.field)).toEqual(fields);
    for (const error of recordErrors(record, 7)) expect(error.index).toBe(7);
    expect(isTransaction(record)).toBe(fields.length === 0);
  });
});

describe('validateRecords', () => {
  it('separates valid records from errors, keeping input positions', () => {
    const result = validateRecords([{ ID_PERSONA: 1, ID_EMPRESA: 2, MONTO: 3 }, { MONTO: 'x' }, { ID_PERSONA: 4, ID_EMPRESA: 5, MONTO: 6 }]);
    expect(result.validIndexes).toEqual([0, 2]);
    expect(result.invalidCount).toBe(1);
    expect(result.errors.map((error) => `${error.index}:${error.field}`)).toEqual(['1:ID_PERSONA', '1:ID_EMPRESA', '1:MONTO']);
  });

  it('accepts a record whose id is present but undefined, as recordErrors does', () => {
    expect(validateRecords([{ ID_PERSONA: 1, ID_EMPRESA: 2, MONTO: 3, id: undefined }]).invalidCount).toBe(0);
  });
});

describe('convert', () => {
  it('encodes the JSON string as bytes with the configured key', () => {
    const record = withId({ ID_PERSONA: 9, ID_EMPRESA: 8, MONTO: 1.25 }, () => 'fixed');
    const message = convert(record, 'ID_PERSONA');
    expect(message.key).toBe('9');
    expect(JSON.parse(message.value.toString('utf8'))).toEqual({ ID_PERSONA: 9, ID_EMPRESA: 8, MONTO: 1.25, id: 'fixed' });
    expect(convert(record, 'none').key).toBeNull();
    expect(convert(record, 'id').key).toBe('fixed');
  });

  it('keeps a client id and gives equal records equal bytes', () => {
    const a = convert(withId({ MONTO: 1, ID_EMPRESA: 2, ID_PERSONA: 3, id: 'k' } as never), 'ID_EMPRESA');
    const b = convert(withId({ ID_PERSONA: 3, ID_EMPRESA: 2, MONTO: 1, id: 'k' }), 'ID_EMPRESA');
    expect(a.value).toEqual(b.value);
    expect(a.key).toBe('2');
  });

  it('writes the same JSON as withId and JSON.stringify', () => {
    const records = [
      { ID_PERSONA: 0, ID_EMPRESA: Number.MAX_SAFE_INTEGER, MONTO: -0 },
      { ID_PERSONA: 1, ID_EMPRESA: 2, MONTO: 1e21, id: 'quote " backslash \\ newline \n ñ 日本 \u0001' },
      { ID_PERSONA: 1, ID_EMPRESA: 2, MONTO: -1.5e-7, id: 'x'.repeat(128) },
    ];
    for (const record of records) {
      const complete = withId(record, () => 'fresh');
      for (const keyField of ['ID_PERSONA', 'ID_EMPRESA', 'id', 'none'] as const) {
        expect(toMessage(record, complete.id, keyField)).toEqual({ ...convert(complete, keyField), value: JSON.stringify(complete) });
      }
    }
  });
});
