import { describe, expect, it } from '@jest/globals';
import { exitReason, INITIAL_RESTART_STATE, nextRestart } from './restart-policy.ts';
import type { RestartState } from './restart-policy.ts';

const policy = { initialDelayMs: 1_000, maxDelayMs: 10_000, resetAfterMs: 60_000 };

function delays(runsMs: readonly number[]): number[] {
  let state: RestartState = INITIAL_RESTART_STATE;
  return runsMs.map((ranMs) => {
    const next = nextRestart(state, ranMs, policy);
    state = next.state;
    return next.delayMs;
  });
}

describe('nextRestart', () => {
  it('doubles the delay while the process keeps failing quickly, up to the ceiling', () => {
    expect(delays([500, 200, 3_000, 100, 100, 100])).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
  });

  it('starts from the short delay again after a run of resetAfterMs or more', () => {
    expect(delays([100, 100, 100, 60_000, 100, 59_999])).toEqual([1_000, 2_000, 4_000, 1_000, 2_000, 4_000]);
  });

  it('counts every restart', () => {
    let state: RestartState = INITIAL_RESTART_STATE;
    for (const ranMs of [10, 120_000, 10]) state = nextRestart(state, ranMs, policy).state;
    expect(state.restarts).toBe(3);
  });
});

describe('exitReason', () => {
  it.each<[number | null, NodeJS.Signals | null, string]>([
    [null, 'SIGKILL', 'killed (SIGKILL)'],
    [null, 'SIGSEGV', 'terminated by SIGSEGV'],
    [1, null, 'error (exit code 1)'],
    [0, null, 'completed (exit code 0)'],
    [null, null, 'error (exit code unknown)'],
  ])('code %s, signal %s: %s', (code, signal, expected) => {
    expect(exitReason(code, signal)).toBe(expected);
  });
});
