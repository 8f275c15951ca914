import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { editDistance, envNameToKey, keyToEnvName, readEnvSection } from './env-section.ts';

const schema = z.strictObject({
  dryRun: z.enum(['true', 'false']).default('false'),
  httpPort: z.coerce.number().int().min(0).max(65_535).default(9102),
  namespace: z.string().default('default'),
});
const read = (env: NodeJS.ProcessEnv, exclude: string[] = []) => readEnvSection(schema, env, { prefix: 'APP_', exclude });

describe('readEnvSection', () => {
  it('reads the variables under the prefix, camelCased, and leaves other variables alone', () => {
    expect(read({ APP_DRY_RUN: 'true', APP_HTTP_PORT: '80', PATH: '/bin', OTHER_APP_X: '1' })).toEqual({
      ok: true,
      value: { dryRun: 'true', httpPort: 80, namespace: 'default' },
    });
  });

  it('takes an empty variable as unset', () => {
    expect(read({ APP_NAMESPACE: '' })).toMatchObject({ ok: true, value: { namespace: 'default' } });
  });

  it.each([
    ['APP_DRYRUN', 'APP_DRY_RUN'],
    ['APP_HTTP_PROT', 'APP_HTTP_PORT'],
    ['APP_NAMESPACES', 'APP_NAMESPACE'],
  ])('refuses %s, naming the setting meant (%s)', (typo, meant) => {
    expect(read({ [typo]: 'true' })).toEqual({
      ok: false,
      problems: [{ name: typo, message: `not a known setting; did you mean ${meant}?` }],
    });
  });

  it('refuses an unknown name with nothing close without guessing', () => {
    expect(read({ APP_BUDGET: '1' })).toEqual({ ok: false, problems: [{ name: 'APP_BUDGET', message: 'not a known setting' }] });
  });

  it('names the variable of an invalid value, and leaves excluded sections to their own reader', () => {
    const result = read({ APP_HTTP_PORT: 'eighty', APP_LEASE_NAME: 'x' }, ['APP_LEASE_']);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.map((problem) => problem.name)).toEqual(['APP_HTTP_PORT']);
  });
});

describe('names', () => {
  it('map both ways between variables and keys', () => {
    expect(envNameToKey('PRODUCER_MAX_INFLIGHT_RECORDS', 'PRODUCER_')).toBe('maxInflightRecords');
    expect(keyToEnvName('maxInflightRecords', 'PRODUCER_')).toBe('PRODUCER_MAX_INFLIGHT_RECORDS');
  });

  it.each([
    ['DRYRUN', 'DRY_RUN', 1],
    ['PROT', 'PORT', 1],
    ['HOST', 'PORT', 2],
    ['', 'ABC', 3],
  ])('edit distance %s → %s is %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
  });
});
