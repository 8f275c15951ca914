// The pipeline's child processes: Node entry points started with this Node, their output appended to a log file (and
// handed line by line to a listener), stopped with SIGTERM and, after a grace period, SIGKILL.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Child {
  name: string;
  process: ChildProcess;
  logFile: string;
  exited: Promise<number | null>;
}

export function startChild(
  name: string,
  entry: string,
  env: Record<string, string>,
  logDir: string,
  onLine?: (line: string) => void,
): Child {
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `${name}.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, [entry], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      log.write(`${line}\n`);
      onLine?.(line);
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  void exited.then(() => log.end());
  return { name, process: child, logFile, exited };
}

export async function stopChild(child: Child, graceMs = 15_000): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  child.process.kill('SIGTERM');
  const stopped = await Promise.race([child.exited.then(() => true), sleep(graceMs).then(() => false)]);
  if (!stopped) {
    child.process.kill('SIGKILL');
    await child.exited;
  }
}

/** Polls `probe` until it holds; fails naming the child (and its log) when it exits first or time runs out. */
export async function waitFor(child: Child, what: string, probe: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null)
      throw new Error(`${child.name} exited (code ${child.process.exitCode}) before ${what}; see ${child.logFile}`);
    if (await probe().catch(() => false)) return;
    await sleep(250);
  }
  throw new Error(`${child.name}: not ${what} after ${timeoutMs / 1000}s; see ${child.logFile}`);
}
