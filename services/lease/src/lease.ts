// Leader election (pull sources, the autoscaler), so that of two replicas only one acts: the holder of a lease renews it; a standby
// takes it over once it expired. The decision is pure; the stores (a coordination.k8s.io Lease, or a file on one machine)
// only read and conditionally write the record. The record also carries the source's checkpoint, so a new leader resumes
// where the old one stopped.

export interface LeaseRecord {
  holder: string;
  renewedAtMs: number;
  durationMs: number;
  checkpoint?: string;
}

export interface VersionedLease {
  record: LeaseRecord | undefined;
  /** Opaque version for the conditional write (resourceVersion, or the file's content). */
  version: string | undefined;
}

export interface LeaseStore {
  read(): Promise<VersionedLease>;
  /** Writes only if the stored version is still `version`; false when someone else wrote first. */
  write(record: LeaseRecord, version: string | undefined): Promise<boolean>;
}

export type LeaseAction = 'acquire' | 'renew' | 'follow';

export function decideLease(current: LeaseRecord | undefined, identity: string, nowMs: number): LeaseAction {
  if (current === undefined) return 'acquire';
  if (current.holder === identity) return 'renew';
  return current.renewedAtMs + current.durationMs <= nowMs ? 'acquire' : 'follow';
}

export interface LeaderElectorOptions {
  store: LeaseStore;
  identity: string;
  durationMs: number;
  renewMs: number;
  now?: () => number;
  /** Told about a store failure that tick() absorbed (it then stops leading); the library itself does not log. */
  onError?: (error: unknown) => void;
}

export class LeaderElector {
  readonly #options: LeaderElectorOptions;
  #leaderUntilMs = 0;
  #checkpoint: string | undefined;
  #version: string | undefined;

  constructor(options: LeaderElectorOptions) {
    this.#options = options;
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }

  /**
   * Leadership ends a renew period before the lease expires for others, so an old leader has stopped reading before a
   * standby may start.
   */
  get isLeader(): boolean {
    return this.#now() < this.#leaderUntilMs;
  }

  get checkpoint(): string | undefined {
    return this.#checkpoint;
  }

  /** One election round: acquire, renew or follow. Returns whether this replica leads afterwards. */
  async tick(): Promise<boolean> {
    const { store, identity, durationMs, renewMs } = this.#options;
    const now = this.#now();
    try {
      const current = await store.read();
      const action = decideLease(current.record, identity, now);
      if (action === 'follow') {
        this.#leaderUntilMs = 0;
        this.#checkpoint = current.record?.checkpoint;
        return false;
      }
      const record: LeaseRecord = { holder: identity, renewedAtMs: now, durationMs, checkpoint: current.record?.checkpoint };
      if (record.checkpoint === undefined) delete record.checkpoint;
      if (await store.write(record, current.version)) {
        this.#leaderUntilMs = now + durationMs - renewMs;
        this.#checkpoint = record.checkpoint;
        this.#version = (await store.read()).version;
        return true;
      }
    } catch (error) {
      // An unreachable store must not leave two leaders: stop leading; the next tick tries again.
      this.#options.onError?.(error);
    }
    this.#leaderUntilMs = 0;
    return false;
  }

  /** Records progress while still leading; false (and no write) when leadership was lost. */
  async saveCheckpoint(checkpoint: string): Promise<boolean> {
    if (!this.isLeader) return false;
    const record: LeaseRecord = {
      holder: this.#options.identity,
      renewedAtMs: this.#now(),
      durationMs: this.#options.durationMs,
      checkpoint,
    };
    const current = await this.#options.store.read();
    if (current.record?.holder !== this.#options.identity || !(await this.#options.store.write(record, current.version))) {
      this.#leaderUntilMs = 0;
      return false;
    }
    this.#checkpoint = checkpoint;
    this.#leaderUntilMs = record.renewedAtMs + this.#options.durationMs - this.#options.renewMs;
    this.#version = (await this.#options.store.read()).version;
    return true;
  }

  /** Gives the lease up (keeping the checkpoint) so a standby takes over at once instead of after expiry. */
  async release(): Promise<void> {
    if (!this.isLeader) return;
    this.#leaderUntilMs = 0;
    const current = await this.#options.store.read();
    if (current.record?.holder !== this.#options.identity) return;
    const released: LeaseRecord = { ...current.record, renewedAtMs: 0, holder: '' };
    await this.#options.store.write(released, current.version ?? this.#version);
  }
}
