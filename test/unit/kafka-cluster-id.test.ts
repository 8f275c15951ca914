// The stack's KRaft cluster ids: the storage tool must never mistake one for an option (a CI run failed on that once).
import { describe, expect, it } from '@jest/globals';
import { clusterId } from '../stack/kafka.ts';

describe('clusterId', () => {
  it('is 16 bytes in unpadded URL-safe base64 and never starts with "-"', () => {
    // Drawn often enough that ids starting with '-' (1 in 64 of random ones) would appear many times over.
    const ids = Array.from({ length: 5_000 }, clusterId);
    for (const id of ids) {
      expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
      expect(Buffer.from(id, 'base64url')).toHaveLength(16);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });
});
