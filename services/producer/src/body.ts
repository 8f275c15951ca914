// Request bodies of POST /v1/records: a JSON array of records, or NDJSON (one record per line). Pure parsing; the error
// names the line of NDJSON that is not JSON.
import { ProducerError } from './errors.ts';

export const JSON_TYPES = ['application/json'];
export const NDJSON_TYPES = ['application/x-ndjson', 'application/ndjson', 'application/jsonl'];

export function parseJsonArray(text: string): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ProducerError('TORMENTA_MALFORMED_BODY', `the body is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed)) {
    throw new ProducerError(
      'TORMENTA_MALFORMED_BODY',
      'the body must be a JSON array of records (or NDJSON, one record per line)',
    );
  }
  return parsed;
}

export function parseNdjson(text: string): unknown[] {
  const records: unknown[] = [];
  const lines = text.split('\n');
  for (let line = 0; line < lines.length; line += 1) {
    const content = (lines[line] as string).trim();
    if (content === '') continue;
    try {
      records.push(JSON.parse(content));
    } catch (error) {
      throw new ProducerError(
        'TORMENTA_MALFORMED_BODY',
        `NDJSON line ${line + 1} is not valid JSON: ${(error as Error).message}`,
        {
          details: [{ line: line + 1 }],
        },
      );
    }
  }
  return records;
}
