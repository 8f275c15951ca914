// The lease outside Kubernetes: a JSON file that replicas on one machine share. The read-compare-write runs under a lock
// directory (mkdir is atomic), which is the conditional write the election needs.
import { mkdir, readFile, rename, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LeaseRecord, LeaseStore, VersionedLease } from './lease.ts';

const STALE_LOCK_MS = 10_000;

export class FileLeaseStore implements LeaseStore {
  readonly #file: string;

  constructor(file: string) {
    this.#file = file;
  }

  async read(): Promise<VersionedLease> {
    try {
      const text = await readFile(this.#file, 'utf8');
      return { record: JSON.parse(text) as LeaseRecord, version: text };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { record: undefined, version: undefined };
      throw error;
    }
  }

  async write(record: LeaseRecord, version: string | undefined): Promise<boolean> {
    await mkdir(dirname(this.#file), { recursive: true });
    const lock = `${this.#file}.lock`;
    await this.#lock(lock);
    try {
      if ((await this.read()).version !== version) return false;
      const temporary = `${this.#file}.${process.pid}.tmp`;
      await writeFile(temporary, JSON.stringify(record));
      await rename(temporary, this.#file);
      return true;
    } finally {
      await rmdir(lock).catch(() => undefined);
    }
  }

  async #lock(lock: string): Promise<void> {
    for (;;) {
      try {
        await mkdir(lock);
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        // A replica killed inside the critical section leaves its lock behind.
        const age = await stat(lock).then(
          (info) => Date.now() - info.mtimeMs,
          () => 0,
        );
        if (age > STALE_LOCK_MS) await rmdir(lock).catch(() => undefined);
        await sleep(5 + Math.random() * 20);
      }
    }
  }
}
