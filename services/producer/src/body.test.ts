import { describe, expect, it } from '@jest/globals';
import { parseJsonArray, parseNdjson } from './body.ts';

describe('request bodies', () => {
  it('parses a JSON array and NDJSON with blank lines', () => {
    expect(parseJsonArray('[{"a":1},{"a":2}]')).toEqual([{ a: 1 }, { a: 2 }]);
    expect(parseNdjson('{"a":1}\n\n{"a":2}\n')).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it.each([
    [() => parseJsonArray('{"a":1}'), 'must be a JSON array'],
    [() => parseJsonArray('[{"a":'), 'not valid JSON'],
    [() => parseNdjson('{"a":1}\n{oops}'), 'NDJSON line 2'],
  ])('refuses malformed bodies (%#)', (parse, message) => {
    expect(parse).toThrow(message);
  });
});
