// When a supervised process that exited on its own is started again: as a Deployment's pod under kubelet's
// CrashLoopBackOff — the first restart after a short delay, each further one after twice the last, up to a ceiling; a
// process that ran long enough before it exited counts as healthy again and starts from the short delay.
export interface RestartPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  /** A run at least this long resets the backoff (kubelet: 10 min). */
  resetAfterMs: number;
}

// Kubelet's are 10 s doubling to 5 min, reset after 10 min; a local run lasts minutes, so the scale is shorter.
export const DEFAULT_RESTART_POLICY: RestartPolicy = { initialDelayMs: 1_000, maxDelayMs: 30_000, resetAfterMs: 60_000 };

export interface RestartState {
  restarts: number;
  /** The delay before the last restart; 0 before the first. */
  lastDelayMs: number;
}

export const INITIAL_RESTART_STATE: RestartState = { restarts: 0, lastDelayMs: 0 };

/** The delay before the next start of a process that ran `ranMs` before exiting, and the state after that restart. */
export function nextRestart(state: RestartState, ranMs: number, policy: RestartPolicy): { delayMs: number; state: RestartState } {
  const healthy = state.lastDelayMs === 0 || ranMs >= policy.resetAfterMs;
  const delayMs = healthy ? policy.initialDelayMs : Math.min(policy.maxDelayMs, state.lastDelayMs * 2);
  return { delayMs, state: { restarts: state.restarts + 1, lastDelayMs: delayMs } };
}

/** How a process ended, in the words `kubectl describe pod` uses for a container's last state. */
export function exitReason(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal !== null) return signal === 'SIGKILL' ? 'killed (SIGKILL)' : `terminated by ${signal}`;
  return code === 0 ? 'completed (exit code 0)' : `error (exit code ${code ?? 'unknown'})`;
}
