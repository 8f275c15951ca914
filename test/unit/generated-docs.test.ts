// What scripts/generate-docs.ts derives from the source registry and the config schemas (the services' README tables,
// the chart's Lease-elected kinds, values.schema.json's stream and sink) must be what is committed, and each README's
// settings table must list exactly the variables its service reads.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { keyToEnvName, readEnvSection } from '@tormenta/config';
import type { z } from 'zod';
import {
  SETTINGS_PREFIX as AUTOSCALER_PREFIX,
  settingsSchema as autoscalerSchema,
} from '../../services/autoscaler/src/config/settings.ts';
import { environmentSchema as consumerSchema, ENV_PREFIX as CONSUMER_PREFIX } from '../../services/consumer/src/config.ts';
import {
  commonConfigSchema,
  ENV_PREFIX as PRODUCER_PREFIX,
  LEASE_PREFIX,
  leaseConfigSchema,
} from '../../services/producer/src/config.ts';
import { generated } from '../../scripts/generate-docs.ts';

const files = await generated();
const root = join(import.meta.dirname, '../..');

describe('generated docs and chart schema', () => {
  it.each([...files].map(([file, content]) => [file.replace(/^.*\/(services|charts)\//, '$1/'), file, content]))(
    '%s is up to date (npm run generate)',
    (_name, file, content) => {
      expect(readFileSync(file as string, 'utf8')).toBe(content);
    },
  );
});

/** The environment variables the README's generated settings section lists, in order. */
function listedVariables(readme: string, prefix: string): string[] {
  const text = readFileSync(join(root, readme), 'utf8');
  const section = text.slice(text.indexOf('<!-- generated:settings -->'), text.indexOf('<!-- /generated:settings -->'));
  return [...section.matchAll(/^\| `([A-Z0-9_]+)` +\|/gm)].map((match) => match[1]!).filter((name) => name.startsWith(prefix));
}

type Section = [prefix: string, schema: z.ZodObject, exclude: string[]];

describe.each<[string, Section[]]>([
  ['services/autoscaler/README.md', [[AUTOSCALER_PREFIX, autoscalerSchema, []]]],
  ['services/consumer/README.md', [[CONSUMER_PREFIX, consumerSchema, []]]],
  [
    'services/producer/README.md',
    [
      [PRODUCER_PREFIX, commonConfigSchema, [LEASE_PREFIX]],
      [LEASE_PREFIX, leaseConfigSchema, []],
    ],
  ],
])('%s settings table', (readme, sections) => {
  it.each(sections)('lists every %s variable the service reads, by the name it reads', (prefix, schema, exclude) => {
    const listed = listedVariables(readme, prefix).filter((name) => !exclude.some((other) => name.startsWith(other)));
    expect(listed).toEqual(Object.keys(schema.shape).map((key) => keyToEnvName(key, prefix)));
    for (const name of listed) {
      const result = readEnvSection(schema, { [name]: 'x' }, { prefix, exclude });
      const unknown = result.ok ? [] : result.problems.filter((problem) => problem.message.startsWith('not a known setting'));
      expect(unknown).toEqual([]);
    }
  });
});
