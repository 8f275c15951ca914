// The storm emulator of the local pipeline: offers each phase's rate to the fleet's ingest port in small requests, each on
// a new connection so the cluster primary spreads them over the workers (one keep-alive connection would pin one worker).
// Every record carries an id made here, so what was acknowledged can be looked up in HBase afterwards; no retries, so
// offered minus accepted is what the capacity refused.
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StormPhase } from './profiles.ts';

/** A record of the pushed stream (a transaction by default) with the id the storm gave it. */
export type StormRecord = Record<string, unknown> & { id: string };

export interface StormTally {
  offered: number;
  accepted: number;
  rejected: number;
  failed: number;
  /** Requests by the HTTP status they got. */
  statuses: Record<number, number>;
  /** Refused records by the HTTP status their request got (429, 503, 400, 413 …). */
  rejectedByStatus: Record<number, number>;
}

export interface StormOptions {
  ingestUrl: string;
  phases: readonly StormPhase[];
  /** Records to post in turn (objects of the stream's shape); each goes out with a fresh id. */
  pool: readonly Record<string, unknown>[];
  runId: string;
  recordsPerRequest?: number;
  tickMs?: number;
  /** Keep every acknowledged record (for checking HBase), or only count them. */
  keepAccepted?: boolean;
  /** Called with each request's acknowledgement time, for latency measurements. */
  onAccepted?: (records: readonly StormRecord[], ackedAtMs: number) => void;
}

function post(url: URL, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    outgoing.setTimeout(30_000, () => outgoing.destroy(new Error('timed out')));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

export class Storm {
  readonly tally: StormTally = { offered: 0, accepted: 0, rejected: 0, failed: 0, statuses: {}, rejectedByStatus: {} };
  readonly accepted: StormRecord[] = [];
  readonly #options: StormOptions;
  readonly #url: URL;
  #sequence = 0;

  constructor(options: StormOptions) {
    this.#options = options;
    this.#url = new URL('/v1/records', options.ingestUrl);
  }

  async run(signal: AbortSignal): Promise<StormTally> {
    const tickMs = this.#options.tickMs ?? 100;
    const pending = new Set<Promise<void>>();
    const began = performance.now();
    let carry = 0;
    let tick = 0;
    let phaseStart = 0;
    for (const phase of this.#options.phases) {
      const end = phaseStart + phase.seconds * 1000;
      while (!signal.aborted && tick * tickMs < end) {
        carry += (phase.rate * tickMs) / 1000;
        const count = Math.floor(carry);
        carry -= count;
        for (const chunk of this.#chunks(count)) {
          const sending = this.#send(chunk).finally(() => pending.delete(sending));
          pending.add(sending);
        }
        tick += 1;
        await sleep(Math.max(0, began + tick * tickMs - performance.now()));
      }
      phaseStart = end;
    }
    await Promise.all(pending);
    return this.tally;
  }

  *#chunks(count: number): Generator<StormRecord[]> {
    const size = this.#options.recordsPerRequest ?? 20;
    const { pool, runId } = this.#options;
    for (let sent = 0; sent < count; sent += size) {
      const chunk: StormRecord[] = [];
      for (let index = 0; index < Math.min(size, count - sent); index += 1) {
        const sample = pool[this.#sequence % pool.length]!;
        chunk.push({ ...sample, id: `${runId}-${this.#sequence}` });
        this.#sequence += 1;
      }
      yield chunk;
    }
  }

  async #send(records: StormRecord[]): Promise<void> {
    this.tally.offered += records.length;
    try {
      const status = await post(this.#url, JSON.stringify(records));
      this.tally.statuses[status] = (this.tally.statuses[status] ?? 0) + 1;
      if (status >= 200 && status < 300) {
        this.tally.accepted += records.length;
        if (this.#options.keepAccepted === true) this.accepted.push(...records);
        this.#options.onAccepted?.(records, performance.now());
      } else {
        this.tally.rejected += records.length;
        this.tally.rejectedByStatus[status] = (this.tally.rejectedByStatus[status] ?? 0) + records.length;
      }
    } catch {
      this.tally.failed += records.length;
    }
  }
}
