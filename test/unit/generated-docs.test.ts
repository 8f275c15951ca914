// What scripts/generate-docs.ts derives from the source registry and the config schemas (the producer README's tables,
// the chart's Lease-elected kinds, values.schema.json's stream) must be what is committed.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { generated } from '../../scripts/generate-docs.ts';

const files = await generated();

describe('generated docs and chart schema', () => {
  it.each([...files].map(([file, content]) => [file.replace(/^.*\/(services|charts)\//, '$1/'), file, content]))(
    '%s is up to date (npm run generate)',
    (_name, file, content) => {
      expect(readFileSync(file as string, 'utf8')).toBe(content);
    },
  );
});
