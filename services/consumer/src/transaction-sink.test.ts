// The transactions are a sink file, not code: sinks/transacciones.yaml run through the generic path must write the very
// rows and dead letters the hard-wired enrichment wrote, byte for byte (transaction-sink.fixture.json was captured from
// it before it was removed), under both of its unknown-ID policies: `null` (onMissing: empty) and `dlq` (dead-letter).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse as parseYaml } from 'yaml';
import { toDeadLetterMessage } from './dead-letter.ts';
import { decodeBatch, enrichBatch, lookupKeys } from './enrich.ts';
import type { FoundRows } from './enrich.ts';
import type { SourceRecord } from './record.ts';
import { loadSinkFile, parseSink } from './sink-file.ts';

const SINK_FILE = resolve(import.meta.dirname, '../../../sinks/transacciones.yaml');

interface Expected {
  rows: { key: string; cells: Record<string, string> }[];
  deadLetters: { offset: string; reason: string }[];
  outcomes: Record<string, number>;
}

const fixture = JSON.parse(readFileSync(resolve(import.meta.dirname, 'transaction-sink.fixture.json'), 'utf8')) as {
  processedAt: string;
  inputs: { offset: string; value: string | null }[];
  personas: [number, string | null][];
  empresas: [number, string | null][];
  null: Expected;
  dlq: Expected;
};

const records: SourceRecord[] = fixture.inputs.map(({ offset, value }) => ({
  source: { topic: 'topic_transaccion', partition: 2, offset },
  key: null,
  value: value === null ? null : Buffer.from(value, 'utf8'),
}));

/** The dimension rows as a lookup keeps them: a null name is a row without NOMBRE. */
const found = (rows: [number, string | null][]): FoundRows =>
  new Map(rows.map(([id, name]): [string, Record<string, string>] => [String(id), name === null ? {} : { NOMBRE: name }]));

function sinkWith(onMissing: 'empty' | 'dead-letter') {
  if (onMissing === 'empty') return loadSinkFile(SINK_FILE);
  const document = parseYaml(readFileSync(SINK_FILE, 'utf8')) as { lookups: { onMissing: string }[] };
  for (const lookup of document.lookups) lookup.onMissing = onMissing;
  return parseSink(document, SINK_FILE);
}

describe('sinks/transacciones.yaml reproduces the hard-wired transaction enrichment byte for byte', () => {
  it('ships onMissing: empty, the old default policy (null)', () => {
    expect(loadSinkFile(SINK_FILE).lookups.map((lookup) => lookup.onMissing)).toEqual(['empty', 'empty']);
  });

  it.each([
    ['null', 'empty'],
    ['dlq', 'dead-letter'],
  ] as const)('policy %s (onMissing: %s)', (policy, onMissing) => {
    const sink = sinkWith(onMissing);
    const decoded = decodeBatch(sink, records);
    expect(lookupKeys(sink, decoded.valid)).toEqual([
      ['1', '2', '9', '998', '3', '9007199254740991'],
      ['10', '11', '99', '998', '0'],
    ]);
    const result = enrichBatch(sink, decoded, [found(fixture.personas), found(fixture.empresas)], new Date(fixture.processedAt));
    const expected = fixture[policy];

    expect(JSON.stringify(result.rows)).toBe(JSON.stringify(expected.rows));
    const letters = result.deadLetters.map((letter) => ({ offset: letter.record.source.offset, reason: letter.reason }));
    expect(JSON.stringify(letters)).toBe(JSON.stringify(expected.deadLetters));
    expect(JSON.stringify(result.outcomes)).toBe(JSON.stringify(expected.outcomes));
    // A dead letter carries the original bytes untouched, with the reason in its header.
    for (const letter of result.deadLetters) {
      const message = toDeadLetterMessage(letter);
      expect(message.value).toBe(records.find((record) => record.source.offset === letter.record.source.offset)!.value);
      expect(message.headers.reason).toBe(letter.reason);
    }
  });

  it('names the unknown ID and its table in the dead letter, as before', () => {
    const sink = sinkWith('dead-letter');
    const result = enrichBatch(sink, decodeBatch(sink, records), [found(fixture.personas), found(fixture.empresas)], new Date());
    expect(result.deadLetters.filter((letter) => letter.reason.startsWith('unknown_')).map((letter) => letter.detail)).toEqual([
      'ID_PERSONA 9 not in PERSONA',
      'ID_EMPRESA 99 not in EMPRESA',
      'ID_PERSONA 998 not in PERSONA',
      'ID_PERSONA 3 not in PERSONA',
    ]);
  });
});
