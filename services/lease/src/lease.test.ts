import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { FileLeaseStore } from './file-lease.ts';
import { LeaderElector, decideLease } from './lease.ts';

describe('decideLease', () => {
  it.each([
    [undefined, 'acquire'],
    [{ holder: 'me', renewedAtMs: 0, durationMs: 10 }, 'renew'],
    [{ holder: 'other', renewedAtMs: 995, durationMs: 10 }, 'follow'],
    [{ holder: 'other', renewedAtMs: 990, durationMs: 10 }, 'acquire'],
    [{ holder: '', renewedAtMs: 0, durationMs: 10 }, 'acquire'],
  ])('%j → %s', (record, action) => {
    expect(decideLease(record, 'me', 1_000)).toBe(action);
  });
});

describe('LeaderElector on a lease file', () => {
  it('lets one of two replicas lead, hands over with the checkpoint on release', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lease-')), 'lease.json');
    const a = new LeaderElector({ store: new FileLeaseStore(file), identity: 'a', durationMs: 5_000, renewMs: 1_000 });
    const b = new LeaderElector({ store: new FileLeaseStore(file), identity: 'b', durationMs: 5_000, renewMs: 1_000 });
    const [aLeads, bLeads] = await Promise.all([a.tick(), b.tick()]);
    expect([aLeads, bLeads].filter(Boolean)).toHaveLength(1);
    const [leader, standby] = aLeads ? [a, b] : [b, a];
    expect(await leader.saveCheckpoint('7')).toBe(true);
    expect(await standby.tick()).toBe(false);
    await leader.release();
    expect(leader.isLeader).toBe(false);
    expect(await standby.tick()).toBe(true);
    expect(standby.checkpoint).toBe('7');
    expect(await leader.saveCheckpoint('8')).toBe(false);
  });
});

describe('LeaderElector when the store fails', () => {
  it('reports the error through onError and stops leading', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lease-'));
    const file = join(dir, 'lease.json');
    writeFileSync(file, '{ not json');
    const errors: unknown[] = [];
    const elector = new LeaderElector({
      store: new FileLeaseStore(file),
      identity: 'a',
      durationMs: 5_000,
      renewMs: 1_000,
      onError: (error) => errors.push(error),
    });
    expect(await elector.tick()).toBe(false);
    expect(elector.isLeader).toBe(false);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(SyntaxError);
  });
});
