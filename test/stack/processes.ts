// Local processes started by the stack: each runs in its own process group (so `down` also ends its children), logs to a
// file in the state directory and leaves a pid file there, so a later command can find, probe and stop it.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { StackError } from './errors.ts';
import { stateDir } from './layout.ts';

export interface ManagedProcess {
  name: string;
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export const pidFile = (name: string): string => join(stateDir, 'run', `${name}.pid`);
export const logFile = (name: string): string => join(stateDir, 'logs', `${name}.log`);

export function runningPid(name: string): number | undefined {
  const file = pidFile(name);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && isAlive(pid) ? pid : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function startProcess(spec: ManagedProcess): number {
  for (const file of [pidFile(spec.name), logFile(spec.name)]) mkdirSync(dirname(file), { recursive: true });
  const log = openSync(logFile(spec.name), 'a');
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env },
    detached: true,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  if (child.pid === undefined) throw new Error(`${spec.name}: could not start ${spec.command}`);
  child.unref();
  writeFileSync(pidFile(spec.name), `${child.pid}\n`);
  return child.pid;
}

/** SIGTERM to the whole process group, SIGKILL after the grace period. */
export async function stopProcess(name: string, graceMs = 15_000): Promise<boolean> {
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
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

export function logTail(name: string, lines = 15): string {
  const file = logFile(name);
  if (!existsSync(file)) return '(no log)';
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

export function isPortOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Polls `probe` until it resolves true. Fails early, naming the component, if its process died, and on timeout with the
 * last probe error, so a broken start never looks like a slow one.
 */
export async function waitUntil(name: string, what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    if (runningPid(name) === undefined) {
      throw new StackError(`${name} exited before ${what}; last log lines:\n${logTail(name)}`);
    }
    try {
      if (await probe()) return;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    await sleep(500);
  }
  throw new StackError(
    `${name}: ${what} not reached within ${timeoutMs / 1000}s${lastError ? ` (${lastError})` : ''}; see ${logFile(name)}`,
  );
}

/** A TCP port free on the loopback right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
