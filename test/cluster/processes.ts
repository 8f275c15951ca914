// The cluster's local processes: each runs in its own process group (so stopping it also ends anything it forked), logs
// to a file and leaves a pid file, so a later command can find, probe and stop it.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { logFile, pidFile } from './layout.ts';

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
}

/** A component that failed to start or to become healthy; the message names it and ends with its log's tail. */
export class ComponentError extends Error {
  readonly component: string;
  constructor(component: string, reason: string) {
    super(`${component}: ${reason} — log tail: ${logTail(component)}`);
    this.name = 'ComponentError';
    this.component = component;
  }
}

/** The pid recorded for `name` if that process is still alive and still runs the binary we started. */
export function runningPid(name: string): number | undefined {
  const file = pidFile(name);
  if (!existsSync(file)) return undefined;
  const [pidText, command] = readFileSync(file, 'utf8').split('\n');
  const pid = Number(pidText);
  return Number.isInteger(pid) && isAlive(pid, command) ? pid : undefined;
}

// A zombie (exited, not yet reaped by the jest process that spawned it) still answers kill(pid, 0), and a recycled pid may
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

export function startProcess(spec: ProcessSpec): number {
  for (const file of [pidFile(spec.name), logFile(spec.name)]) mkdirSync(dirname(file), { recursive: true });
  const log = openSync(logFile(spec.name), 'w');
  const child = spawn(spec.command, spec.args, { detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  if (child.pid === undefined) throw new ComponentError(spec.name, `could not start ${spec.command}`);
  child.on('error', () => {}); // reported through the health checks and the log instead
  child.unref();
  writeFileSync(pidFile(spec.name), `${child.pid}\n${spec.command}\n`);
  return child.pid;
}

/** SIGTERM to the whole process group, SIGKILL after the grace period; true if something was running. */
export async function stopProcess(name: string, graceMs = 10_000): Promise<boolean> {
  const pid = runningPid(name);
  rmSync(pidFile(name), { force: true });
  if (pid === undefined) return false;
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  signalGroup(pid, 'SIGKILL');
  while (isAlive(pid)) await sleep(50);
  return true;
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

/** The last lines of a component's log on one line, for error messages. */
export function logTail(name: string, lines = 6): string {
  const file = logFile(name);
  if (!existsSync(file)) return '(no log)';
  const tail = readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines);
  return tail.length && tail[0] ? tail.map((l) => l.slice(0, 300)).join(' | ') : '(empty log)';
}

/** Polls `probe` until it returns true; throws ComponentError(name) with the log tail on timeout or if the process died. */
export async function waitUntil(name: string, what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (runningPid(name) === undefined) throw new ComponentError(name, `exited before ${what}`);
    if (Date.now() > deadline) throw new ComponentError(name, `not ${what} after ${timeoutMs / 1000}s`);
    await sleep(250);
  }
}
