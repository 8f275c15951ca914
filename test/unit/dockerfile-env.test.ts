// ENV lines as the images and the producer bench read them: the bench starts the producer with the image's environment.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { imageEnv, parseEnv } from '../packaging/dockerfile.ts';

describe('Dockerfile ENV', () => {
  it('reads every pair of one line, quoted or not, and the legacy one-pair form', () => {
    expect(parseEnv('A=1 B="two words" C=')).toEqual([
      ['A', '1'],
      ['B', 'two words'],
      ['C', ''],
    ]);
    expect(parseEnv('NODE_ENV=production')).toEqual([['NODE_ENV', 'production']]);
    expect(parseEnv('GREETING hello world')).toEqual([['GREETING', 'hello world']]);
    expect(() => parseEnv('=1')).toThrow(/cannot parse ENV/);
  });

  it("gives the producer image's allocator settings, all of them", () => {
    const env = imageEnv(readFileSync(join(import.meta.dirname, '..', '..', 'Dockerfile.producer'), 'utf8'));
    expect(Object.keys(env)).toEqual(
      expect.arrayContaining(['NODE_ENV', 'MALLOC_ARENA_MAX', 'MALLOC_MMAP_THRESHOLD_', 'MALLOC_TRIM_THRESHOLD_']),
    );
    expect(env.MALLOC_ARENA_MAX).toBe('2');
  });
});
