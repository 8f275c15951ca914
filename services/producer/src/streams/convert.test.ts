import { join, resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { compileStream, convertRecords, HEADER_ID, HEADER_STREAM } from './convert.ts';
import { loadStreamFile, parseStream } from './stream-file.ts';

const STREAMS = resolve(import.meta.dirname, '../../../../streams');
let counter = 0;
const newId = () => `gen-${(counter += 1)}`;

async function compiled(file: string) {
  return compileStream(loadStreamFile(join(STREAMS, file)));
}

describe('the transactions stream', () => {
  it('keys by ID_PERSONA, keeps a given id, assigns a missing one, and says which stream in the headers', async () => {
    counter = 0;
    const stream = await compiled('transacciones.yaml');
    const result = await convertRecords(
      stream,
      [
        { ID_PERSONA: 7, ID_EMPRESA: 3, MONTO: 10.5, id: 'a' },
        { ID_PERSONA: 8, ID_EMPRESA: 4, MONTO: 1 },
      ],
      newId,
    );
    expect(result.invalid).toEqual([]);
    expect(result.ids).toEqual(['a', 'gen-1']);
    expect(result.messages).toEqual([
      {
        key: '7',
        value: '{"ID_PERSONA":7,"ID_EMPRESA":3,"MONTO":10.5,"id":"a"}',
        headers: { [HEADER_STREAM]: 'transacciones', 'content-type': 'application/json', [HEADER_ID]: 'a' },
      },
      {
        key: '8',
        value: '{"ID_PERSONA":8,"ID_EMPRESA":4,"MONTO":1,"id":"gen-1"}',
        headers: { [HEADER_STREAM]: 'transacciones', 'content-type': 'application/json', [HEADER_ID]: 'gen-1' },
      },
    ]);
  });

  it.each([
    [{ ID_PERSONA: -1, ID_EMPRESA: 1, MONTO: 1 }, [{ pointer: '/ID_PERSONA', message: 'must be >= 0' }]],
    [{ ID_PERSONA: 1.5, ID_EMPRESA: 1, MONTO: 1 }, [{ pointer: '/ID_PERSONA', message: 'must be integer' }]],
    [{ ID_EMPRESA: 1, MONTO: 1 }, [{ pointer: '/', message: "must have required property 'ID_PERSONA': ID_PERSONA" }]],
    [
      { ID_PERSONA: 1, ID_EMPRESA: 1, MONTO: 'x', extra: true },
      [
        { pointer: '/', message: 'must NOT have additional properties: extra' },
        { pointer: '/MONTO', message: 'must be number' },
      ],
    ],
    ['text', [{ pointer: '/', message: 'must be object' }]],
    [{ ID_PERSONA: 1, ID_EMPRESA: 1, MONTO: 1, id: '' }, [{ pointer: '/id', message: 'must NOT have fewer than 1 characters' }]],
  ])('%j is refused with JSON pointers', async (record, problems) => {
    const stream = await compiled('transacciones.yaml');
    const result = await convertRecords(stream, [{ ID_PERSONA: 1, ID_EMPRESA: 2, MONTO: 3 }, record], newId);
    expect(result.messages).toHaveLength(1);
    expect(result.invalidCount).toBe(1);
    expect(result.invalid).toEqual(expect.arrayContaining(problems.map((problem) => ({ index: 1, ...problem }))));
    expect(result.invalid).toHaveLength(problems.length);
  });
});

describe('the ISS stream: a transform that flattens, converts and filters', () => {
  it('turns an ISS-now answer into a position record keyed and identified by its timestamp', async () => {
    const stream = await compiled('iss.yaml');
    const answer = { iss_position: { latitude: '-51.2', longitude: '12.9' }, timestamp: 1733112000, message: 'success' };
    const result = await convertRecords(stream, [answer], newId);
    expect(result.invalid).toEqual([]);
    expect(result.messages).toHaveLength(1);
    expect(JSON.parse(result.messages[0]?.value as string)).toEqual({
      latitude: -51.2,
      longitude: 12.9,
      timestamp: 1733112000,
      id: 'iss-1733112000',
    });
    expect(result.messages[0]?.key).toBe('iss-1733112000');
  });

  it('counts an answer the transform filters out as dropped, not invalid', async () => {
    const stream = await compiled('iss.yaml');
    const result = await convertRecords(stream, [{ message: 'failure' }], newId);
    expect(result).toMatchObject({ messages: [], dropped: 1, invalidCount: 0 });
  });

  it('refuses what the transform produced when it breaks the schema', async () => {
    const stream = await compiled('iss.yaml');
    const answer = { iss_position: { latitude: '-91', longitude: '0' }, timestamp: 1, message: 'success' };
    const result = await convertRecords(stream, [answer], newId);
    expect(result.invalid).toEqual([{ index: 0, pointer: '/latitude', message: 'must be >= -90' }]);
  });

  it('keeps the id a record arrived with when the transform drops the field', async () => {
    const stream = await compileStream(
      parseStream({ name: 's', source: { kind: 'http-push' }, topic: 't', transform: '{"v": value}' }, '/s.yaml'),
    );
    const result = await convertRecords(stream, [{ value: 1, id: 'given' }], newId);
    expect(result.ids).toEqual(['given']);
    expect(result.messages[0]?.value).toBe('{"v":1,"id":"given"}');
  });
});

describe('text and bytes streams carry records as they are', () => {
  it('bytes: the payload untouched, an id in the headers, no key', async () => {
    counter = 0;
    const stream = await compiled('raw.yaml');
    const payload = Buffer.from([0, 255, 1, 2]);
    const result = await convertRecords(stream, [payload, '<html></html>'], newId);
    expect(result.messages).toEqual([
      {
        key: null,
        value: payload,
        headers: { [HEADER_STREAM]: 'raw', 'content-type': 'application/octet-stream', [HEADER_ID]: 'gen-1' },
      },
      {
        key: null,
        value: Buffer.from('<html></html>'),
        headers: { [HEADER_STREAM]: 'raw', 'content-type': 'application/octet-stream', [HEADER_ID]: 'gen-2' },
      },
    ]);
  });

  it('refuses a record over maxRecordBytes, naming its size', async () => {
    const stream = await compileStream(
      parseStream({ name: 't', source: { kind: 'http-push' }, topic: 't', format: 'text', maxRecordBytes: 10 }, '/t.yaml'),
    );
    const result = await convertRecords(stream, ['short', 'much longer than ten'], newId);
    expect(result.messages.map((message) => message.value)).toEqual(['short']);
    expect(result.oversized).toEqual([{ index: 1, pointer: '/', message: '20 bytes encoded; this stream takes at most 10' }]);
  });
});

describe('a stream without schema', () => {
  it('carries any JSON value; a nested key is found by its dot path', async () => {
    const stream = await compileStream(
      parseStream({ name: 'p', source: { kind: 'http-push' }, topic: 't', key: 'device.id' }, '/p.yaml'),
    );
    const result = await convertRecords(stream, [{ device: { id: 'phone-1' }, lat: 1 }, 42, { lat: 2 }], newId);
    expect(result.invalidCount).toBe(0);
    expect(result.messages.map((message) => [message.key, typeof message.value])).toEqual([
      ['phone-1', 'string'],
      [null, 'string'],
      [null, 'string'],
    ]);
  });
});
