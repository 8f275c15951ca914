// Keeps one of the pipeline's processes running as a Deployment keeps its pod: once supervised, a process that exits on
// its own (crashed, SIGKILLed, OOM-killed) is started again after the restart policy's backoff, with a fresh environment
// (so the fleet comes back at the replicas it last had, as a Deployment's spec outlives its pods). Its restarts and the
// last restart's reason are what the live view shows. Before `supervise()` an exit is left to the caller (start-up
// fails fast on a broken process instead of looping).
import { startChild, stopChild } from '../children.ts';
import type { Child } from '../children.ts';
import { DEFAULT_RESTART_POLICY, exitReason, INITIAL_RESTART_STATE, nextRestart } from './restart-policy.ts';
import type { RestartPolicy, RestartState } from './restart-policy.ts';

export interface SupervisedSpec {
  name: string;
  entry: string;
  /** Read at every start. */
  env: () => Record<string, string>;
  logDir: string;
  onLine?: (line: string) => void;
  policy?: RestartPolicy;
  /** Told when the process exited and when it will be started again. */
  onExit?: (status: SupervisedStatus, delayMs: number) => void;
}

/** startChild's signature, supervised: the environment may be a function, read at every start. */
export function superviseChild(
  name: string,
  entry: string,
  env: Record<string, string> | (() => Record<string, string>),
  logDir: string,
  onLine?: (line: string) => void,
  onExit?: SupervisedSpec['onExit'],
): SupervisedChild {
  return new SupervisedChild({ name, entry, env: typeof env === 'function' ? env : () => env, logDir, onLine, onExit });
}

export interface SupervisedStatus {
  name: string;
  pid: number | null;
  state: 'running' | 'restarting' | 'stopped';
  restarts: number;
  lastRestart: { at: string; reason: string } | null;
}

export class SupervisedChild {
  readonly #spec: SupervisedSpec;
  #child: Child;
  #startedAt: number;
  #supervising = false;
  #stopped = false;
  #restart: RestartState = INITIAL_RESTART_STATE;
  #lastRestart: SupervisedStatus['lastRestart'] = null;
  #pending: NodeJS.Timeout | undefined;

  constructor(spec: SupervisedSpec) {
    this.#spec = spec;
    this.#child = this.#start();
    this.#startedAt = Date.now();
  }

  /** The process running now (or the one that last ran). */
  get current(): Child {
    return this.#child;
  }

  get status(): SupervisedStatus {
    const exited = this.#child.process.exitCode !== null || this.#child.process.signalCode !== null;
    return {
      name: this.#spec.name,
      pid: exited ? null : (this.#child.process.pid ?? null),
      state: this.#stopped ? 'stopped' : this.#pending !== undefined || exited ? 'restarting' : 'running',
      restarts: this.#restart.restarts,
      lastRestart: this.#lastRestart,
    };
  }

  /** From now on an exit is followed by a restart; a process that already exited is restarted (after the backoff). */
  supervise(): void {
    if (this.#supervising || this.#stopped) return;
    this.#supervising = true;
    const { exitCode, signalCode } = this.#child.process;
    if (exitCode !== null || signalCode !== null) this.#exited(exitCode, signalCode);
  }

  async stop(graceMs?: number): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#pending);
    this.#pending = undefined;
    await stopChild(this.#child, graceMs);
  }

  #start(): Child {
    const { name, entry, env, logDir, onLine } = this.#spec;
    const child = startChild(name, entry, env(), logDir, onLine);
    child.process.once('exit', (code, signal) => {
      if (this.#supervising && child === this.#child) this.#exited(code, signal);
    });
    return child;
  }

  #exited(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.#stopped || this.#pending !== undefined) return;
    const next = nextRestart(this.#restart, Date.now() - this.#startedAt, this.#spec.policy ?? DEFAULT_RESTART_POLICY);
    this.#restart = next.state;
    this.#lastRestart = { at: new Date().toISOString(), reason: exitReason(code, signal) };
    this.#pending = setTimeout(() => {
      this.#pending = undefined;
      if (this.#stopped) return;
      this.#child = this.#start();
      this.#startedAt = Date.now();
    }, next.delayMs);
    this.#spec.onExit?.(this.status, next.delayMs);
  }
}
