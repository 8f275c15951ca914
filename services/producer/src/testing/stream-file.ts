// Writes a stream file for a test (a temporary directory each time) and returns its path; fields left out take the
// transaction stream's values.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const TRANSACTION_SCHEMA_FILE = resolve(import.meta.dirname, '../../../../streams/schemas/transaccion.schema.json');

export function writeStreamFile(stream: Record<string, unknown> = {}): string {
  const file = join(mkdtempSync(join(tmpdir(), 'tormenta-stream-')), 'stream.json');
  const document = {
    name: 'transacciones',
    source: { kind: 'http-push' },
    topic: 'topic_transaccion',
    format: 'json',
    schema: TRANSACTION_SCHEMA_FILE,
    key: 'ID_PERSONA',
    ...stream,
  };
  writeFileSync(file, JSON.stringify(document));
  return file;
}
