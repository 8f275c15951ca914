// Several jest runs may share one test cluster (same state directory). Each run registers itself; the cluster is
// stopped by the last run to leave, and only if a jest run started it — a cluster brought up by hand stays up.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stateDir } from './layout.ts';

const usersDir = join(stateDir, 'run', 'jest-users');
const startedByJestMarker = join(stateDir, 'run', 'started-by-jest');

const alive = (pid: number): boolean => existsSync(`/proc/${pid}`);

export function registerJestRun(startedCluster: boolean): void {
  mkdirSync(usersDir, { recursive: true });
  writeFileSync(join(usersDir, String(process.pid)), '');
  if (startedCluster) writeFileSync(startedByJestMarker, `${process.pid}\n`);
}

/** Unregisters this run; true when the caller should stop the cluster. */
export function leaveJestRun(): boolean {
  rmSync(join(usersDir, String(process.pid)), { force: true });
  const others = existsSync(usersDir)
    ? readdirSync(usersDir)
        .map(Number)
        .filter((pid) => alive(pid))
    : [];
  if (others.length > 0 || !existsSync(startedByJestMarker)) return false;
  rmSync(startedByJestMarker, { force: true });
  return true;
}

/** A cluster started by `up` outside jest belongs to whoever ran it. */
export function forgetJestOwnership(): void {
  rmSync(startedByJestMarker, { force: true });
}
