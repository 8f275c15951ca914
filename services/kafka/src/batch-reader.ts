// Consumer-side Kafka access for micro-batches: records from every assigned partition are gathered and handed over every
// `intervalMs` (sooner once `maxRecords` are waiting), and offset+1 of a partition's last record is committed only after
// the handler resolved, i.e. after the batch is stored. kafkajs keeps fetching while a batch is being stored (so latency
// stays near one interval); a bounded buffer blocks its handler when the sink falls behind, and `pause()` stops fetching
// outright while the sink is failing.
import { kafkajs } from './kafkajs-patch.ts';
import type { Consumer, EachBatchPayload, IHeaders } from 'kafkajs';
import { kafkajsConnection } from './connection.ts';
import type { KafkaConnection } from './connection.ts';

const { Kafka, logLevel } = kafkajs;

export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  /** As kafkajs decoded them: a header sent several times is an array. */
  headers?: IHeaders | undefined;
}

export interface CommittedPartition {
  partition: number;
  /** The committed offset: the next record to read. */
  offset: string;
  /** Records behind the partition's high watermark as last seen by a fetch. */
  lag: number;
}

export interface AcceptedPartition {
  partition: number;
  /** Records between the last committed offset (before this reader's first commit: where it started) and the high watermark. */
  lag: number;
}

export interface MicroBatchReaderOptions extends KafkaConnection {
  groupId: string;
  topic: string;
  fromBeginning: boolean;
  intervalMs: number;
  maxRecords: number;
  /** Must resolve only once every record is durable (stored or dead-lettered); abort means: give up, do not commit. */
  onBatch: (records: ConsumedRecord[], signal: AbortSignal) => Promise<void>;
  onCommitted?: (partitions: CommittedPartition[]) => void;
  /**
   * A fetch handed over records: the partition's lag against its last committed offset, so lag keeps growing while
   * nothing can be committed (e.g. during a sink outage).
   */
  onAccepted?: (partition: AcceptedPartition) => void;
  /** The group was (re)joined: partitions may have moved, so per-partition state kept from before is stale. */
  onGroupJoin?: () => void;
  onCommitFailed?: (error: unknown) => void;
  /** The flush loop died (onBatch threw without being aborted): the process should stop; nothing was committed. */
  onFatal?: (error: unknown) => void;
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
}

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
}

function deferred(): Deferred {
  let resolve = (): void => {};
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

/** Records waiting beyond this many batches block the fetch loop: memory stays bounded during a sink outage. */
const BUFFERED_BATCHES = 2;

export class MicroBatchReader {
  readonly #options: MicroBatchReaderOptions;
  readonly #consumer: Consumer;
  #buffer: ConsumedRecord[] = [];
  #space = deferred();
  #wakeFlusher = deferred();
  #highWatermarks = new Map<number, bigint>();
  /** Per partition: the offset this reader last committed (the next record to read). */
  #committed = new Map<number, bigint>();
  /** Bumped on every group join: a handler from an older generation must not add records behind the new positions. */
  #generation = 0;
  #running = false;
  /** Connected (start() began, stop() not yet run): stop() must disconnect even after the flush loop died. */
  #started = false;
  #joined = false;
  #flushAbort = new AbortController();
  #flusher: Promise<void> | undefined;
  #lastFlushAt = 0;

  constructor(options: MicroBatchReaderOptions) {
    this.#options = options;
    const kafka = new Kafka({ ...kafkajsConnection(options), logLevel: logLevel.WARN });
    this.#consumer = kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: options.heartbeatIntervalMs ?? 3_000,
    });
    this.#consumer.on(this.#consumer.events.GROUP_JOIN, () => {
      // Positions restart from the committed offsets: anything buffered would be read again, and is dropped.
      this.#generation += 1;
      this.#joined = true;
      this.#buffer = [];
      this.#highWatermarks.clear();
      this.#committed.clear();
      this.#space.resolve();
      this.#options.onGroupJoin?.();
    });
    this.#consumer.on(this.#consumer.events.CRASH, () => (this.#joined = false));
  }

  /** True once the consumer is in its group and fetching. */
  get joined(): boolean {
    return this.#running && this.#joined;
  }

  async start(): Promise<void> {
    this.#running = true;
    this.#started = true;
    await this.#consumer.connect();
    await this.#consumer.subscribe({ topic: this.#options.topic, fromBeginning: this.#options.fromBeginning });
    await this.#consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.#accept(payload),
    });
    this.#flusher = this.#flushLoop().catch((error: unknown) => {
      this.#running = false;
      this.#options.onFatal?.(error);
    });
  }

  /** Stops fetching (the sink is failing); group membership and heartbeats continue. */
  pause(): void {
    this.#consumer.pause([{ topic: this.#options.topic }]);
  }

  resume(): void {
    this.#consumer.resume([{ topic: this.#options.topic }]);
  }

  /** Abandons the batch in progress uncommitted (its records are read again by whoever owns them next) and leaves. */
  async stop(): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    this.#running = false;
    this.#flushAbort.abort();
    this.#wakeFlusher.resolve();
    this.#space.resolve();
    await this.#flusher;
    await this.#consumer.disconnect();
  }

  async #accept({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const generation = this.#generation;
    const highWatermark = BigInt(batch.highWatermark);
    this.#highWatermarks.set(batch.partition, highWatermark);
    const first = batch.messages[0];
    if (first !== undefined && generation === this.#generation) {
      // The first fetch after a join starts at the committed offset: that is the baseline until this reader commits.
      if (!this.#committed.has(batch.partition)) this.#committed.set(batch.partition, BigInt(first.offset));
      const from = this.#committed.get(batch.partition) ?? 0n;
      this.#options.onAccepted?.({ partition: batch.partition, lag: Number(highWatermark > from ? highWatermark - from : 0n) });
    }
    const limit = this.#options.maxRecords * BUFFERED_BATCHES;
    for (const message of batch.messages) {
      while (this.#buffer.length >= limit && this.#running) {
        this.#space = deferred();
        // A failed heartbeat means the group is rebalancing: return so kafkajs can rejoin; the rest is read again.
        if (!(await this.#waitHeartbeating(this.#space.promise, heartbeat))) return;
      }
      if (!this.#running || !isRunning() || isStale() || generation !== this.#generation) return;
      this.#buffer.push({
        topic: batch.topic,
        partition: batch.partition,
        offset: message.offset,
        key: message.key,
        value: message.value,
        headers: message.headers,
      });
      // Resolving only moves kafkajs' fetch position; what is committed is decided after the batch is stored.
      resolveOffset(message.offset);
      if (this.#buffer.length >= this.#options.maxRecords) this.#wakeFlusher.resolve();
    }
  }

  async #waitHeartbeating(until: Promise<void>, heartbeat: () => Promise<void>): Promise<boolean> {
    let healthy = true;
    const timer = setInterval(() => {
      heartbeat().catch(() => {
        healthy = false;
        this.#space.resolve();
      });
    }, 1_000);
    try {
      await until;
    } finally {
      clearInterval(timer);
    }
    return healthy;
  }

  async #flushLoop(): Promise<void> {
    while (this.#running) {
      const due = this.#lastFlushAt + this.#options.intervalMs - Date.now();
      if (this.#buffer.length < this.#options.maxRecords && due > 0) {
        this.#wakeFlusher = deferred();
        const timer = setTimeout(this.#wakeFlusher.resolve, due);
        await this.#wakeFlusher.promise;
        clearTimeout(timer);
        continue;
      }
      this.#lastFlushAt = Date.now();
      if (this.#buffer.length === 0) continue;
      const generation = this.#generation;
      const records = this.#buffer.splice(0, this.#options.maxRecords);
      this.#space.resolve();
      try {
        await this.#options.onBatch(records, this.#flushAbort.signal);
      } catch (error) {
        if (this.#flushAbort.signal.aborted) return;
        throw error;
      }
      if (!this.#running) return;
      await this.#commit(records, generation);
    }
  }

  async #commit(records: readonly ConsumedRecord[], generation: number): Promise<void> {
    // The buffer holds each partition's records in offset order, so the last one per partition closes a stored prefix.
    const last = new Map<number, bigint>();
    for (const record of records) last.set(record.partition, BigInt(record.offset));
    const partitions = [...last].map(([partition, offset]) => ({ partition, next: offset + 1n }));
    // Records of an older generation were read again from the committed offsets by whoever owns them now; committing
    // them here could move an offset this member no longer owns (or move it backwards).
    if (generation !== this.#generation) return;
    try {
      await this.#consumer.commitOffsets(
        partitions.map(({ partition, next }) => ({ topic: this.#options.topic, partition, offset: next.toString() })),
      );
    } catch (error) {
      // Stored but not committed (e.g. a rebalance took the partition): the next owner rewrites the same row keys.
      this.#options.onCommitFailed?.(error);
      return;
    }
    if (generation !== this.#generation) return;
    for (const { partition, next } of partitions) this.#committed.set(partition, next);
    this.#options.onCommitted?.(
      partitions.map(({ partition, next }) => {
        const highWatermark = this.#highWatermarks.get(partition) ?? next;
        return { partition, offset: next.toString(), lag: Number(highWatermark > next ? highWatermark - next : 0n) };
      }),
    );
  }
}
