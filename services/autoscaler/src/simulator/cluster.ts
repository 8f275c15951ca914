// A modelled target: pods that bill from creation but serve only after a start delay, each serving a fixed rate, and a
// FIFO backlog (Kafka) in front of them. Records older than the retention are lost, like topic_transaccion's 1 h.

export interface ModelledTargetSpec {
  readonly podStartSeconds: number;
  readonly capacityPerPod: number;
  readonly retentionSeconds: number;
}

interface Chunk {
  readonly arrivedAt: number;
  count: number;
}

export class ModelledTarget {
  readonly spec: ModelledTargetSpec;
  /** Creation time of every pod; the newest last (scale-down removes those first, as a ReplicaSet removes not-ready pods). */
  private readonly podCreatedAt: number[] = [];
  private readonly backlog: Chunk[] = [];
  private backlogHead = 0;
  processed = 0;
  delayed = 0;
  dropped = 0;

  constructor(spec: ModelledTargetSpec, initialReplicas: number) {
    this.spec = spec;
    for (let pod = 0; pod < initialReplicas; pod += 1) this.podCreatedAt.push(Number.NEGATIVE_INFINITY);
  }

  get replicas(): number {
    return this.podCreatedAt.length;
  }

  readyPods(now: number): number {
    let ready = 0;
    for (const createdAt of this.podCreatedAt) if (createdAt + this.spec.podStartSeconds <= now) ready += 1;
    return ready;
  }

  capacity(now: number): number {
    return this.readyPods(now) * this.spec.capacityPerPod;
  }

  scaleTo(replicas: number, now: number): void {
    while (this.podCreatedAt.length < replicas) this.podCreatedAt.push(now);
    if (this.podCreatedAt.length > replicas) this.podCreatedAt.length = replicas;
  }

  backlogRecords(): number {
    let total = 0;
    for (let index = this.backlogHead; index < this.backlog.length; index += 1) total += this.backlog[index]!.count;
    return total;
  }

  /** One second: `offered` records arrive, the ready pods serve what they can, oldest first. */
  step(now: number, offered: number): void {
    if (offered > 0) this.backlog.push({ arrivedAt: now, count: offered });
    let budget = this.capacity(now);
    while (this.backlogHead < this.backlog.length) {
      const chunk = this.backlog[this.backlogHead]!;
      if (chunk.arrivedAt <= now - this.spec.retentionSeconds) {
        this.dropped += chunk.count;
        this.backlogHead += 1;
        continue;
      }
      if (budget <= 0) break;
      const served = Math.min(budget, chunk.count);
      budget -= served;
      chunk.count -= served;
      this.processed += served;
      if (chunk.arrivedAt < now) this.delayed += served;
      if (chunk.count > 0) break;
      this.backlogHead += 1;
    }
    if (this.backlogHead > 1024 && this.backlogHead * 2 > this.backlog.length) {
      this.backlog.splice(0, this.backlogHead);
      this.backlogHead = 0;
    }
  }
}
