// One `stack up` at a time per state directory: two at once (two terminals, test runs in parallel) would start two
// brokers on one data directory, and each would stop the other's as unhealthy. The lock is a directory (mkdir is atomic)
// holding its owner's pid, so a lock left by a killed process is taken over.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { StackError } from './errors.ts';

const WAIT_MS = 15 * 60_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function withUpLock<T>(stateDir: string, log: (line: string) => void, action: () => Promise<T>): Promise<T> {
  const lock = join(stateDir, 'stack-up.lock');
  const owner = join(lock, 'pid');
  const deadline = Date.now() + WAIT_MS;
  let told = false;
  for (;;) {
    mkdirSync(stateDir, { recursive: true });
    try {
      mkdirSync(lock);
      writeFileSync(owner, String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let pid = Number.NaN;
    try {
      pid = Number(readFileSync(owner, 'utf8'));
    } catch {
      // Just created by its owner, pid not written yet: wait a moment.
    }
    if (Number.isInteger(pid) && pid > 0 && !alive(pid)) {
      rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline)
      throw new StackError(`another 'stack up' (pid ${pid}) has held ${lock} for 15 min; stop it or remove the directory`);
    if (!told) log(`waiting for another 'stack up' (pid ${pid}) to finish`);
    told = true;
    await sleep(500);
  }
  try {
    return await action();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
