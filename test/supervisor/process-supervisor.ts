// Local processes that outlive the command that started them (the data stack, the Kubernetes test cluster): each runs
// in its own process group, so stopping it also ends whatever it forked; it logs to a file and leaves a pid file, so a
// later command can find, probe and stop it.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** Keep earlier runs' lines in the log instead of starting it afresh. */
  appendLog?: boolean;
}

/** Builds the error a caller shows for a component that failed; `reason` already ends with the log's tail. */
export type FailureFactory = (component: string, reason: string) => Error;

export class ProcessSupervisor {
  readonly #dir: string;
  readonly #fail: FailureFactory;

  /** `dir` holds run/<name>.pid and logs/<name>.log. */
  constructor(dir: string, fail: FailureFactory) {
    this.#dir = dir;
    this.#fail = fail;
  }

  pidFile(name: string): string {
    return join(this.#dir, 'run', `${name}.pid`);
  }

  logFile(name: string): string {
    return join(this.#dir, 'logs', `${name}.log`);
  }

  /** The pid recorded for `name` if that process is still alive and still runs the binary we started. */
  runningPid(name: string): number | undefined {
    const file = this.pidFile(name);
    if (!existsSync(file)) return undefined;
    const [pidText, command] = readFileSync(file, 'utf8').split('\n');
    const pid = Number(pidText);
    return Number.isInteger(pid) && isAlive(pid, command) ? pid : undefined;
  }

  start(spec: ProcessSpec): number {
    for (const file of [this.pidFile(spec.name), this.logFile(spec.name)]) mkdirSync(dirname(file), { recursive: true });
    const log = openSync(this.logFile(spec.name), spec.appendLog ? 'a' : 'w');
    const child = spawn(spec.command, spec.args, {
      env: { ...process.env, ...spec.env },
      detached: true,
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    if (child.pid === undefined) throw this.#fail(spec.name, `could not start ${spec.command}`);
    child.on('error', () => {}); // reported through the health checks and the log instead
    child.unref();
    writeFileSync(this.pidFile(spec.name), `${child.pid}\n${spec.command}\n`);
    return child.pid;
  }

  /** SIGTERM to the whole process group, SIGKILL after the grace period; true if something was running. */
  async stop(name: string, graceMs = 15_000): Promise<boolean> {
    const pid = this.runningPid(name);
    rmSync(this.pidFile(name), { force: true });
    if (pid === undefined) return false;
    signalGroup(pid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (isAlive(pid) && Date.now() < deadline) await sleep(100);
    signalGroup(pid, 'SIGKILL');
    while (isAlive(pid)) await sleep(50);
    return true;
  }

  /** The last lines of a component's log on one line, for error messages. */
  logTail(name: string, lines = 6): string {
    const file = this.logFile(name);
    if (!existsSync(file)) return '(no log)';
    const tail = readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines);
    return tail.length && tail[0] ? tail.map((line) => line.slice(0, 300)).join(' | ') : '(empty log)';
  }

  /** Polls `probe` until it resolves true; fails early if the process died, so a broken start never looks like a slow one. */
  async waitUntil(name: string, what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let lastError = '';
    for (;;) {
      try {
        if (await probe()) return;
      } catch (error) {
        lastError = error instanceof Error ? ` (${error.message})` : '';
      }
      if (this.runningPid(name) === undefined) throw this.#fail(name, `exited before ${what} — log tail: ${this.logTail(name)}`);
      if (Date.now() > deadline) {
        throw this.#fail(name, `not ${what} after ${timeoutMs / 1000}s${lastError} — log tail: ${this.logTail(name)}`);
      }
      await sleep(250);
    }
  }
}

// A zombie (exited, not yet reaped by the process that spawned it) still answers kill(pid, 0), and a recycled pid may
// belong to anything: /proc tells both apart.
function isAlive(pid: number, command?: string): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return false;
    return !command || readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0] === command;
  } catch {
    return false;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, signal);
      return;
    } catch {
      // group already gone: try the process itself, then give up
    }
  }
}

/** Resident memory of a running process in bytes (0 when it is gone). */
export function rssBytes(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB$/m);
    return line ? Number(line[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
