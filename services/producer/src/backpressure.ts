// Pure admission decisions: the in-flight record budget (backpressure) and token buckets (per-client request rate limit,
// per-replica record capacity).

export interface InflightDecision {
  admit: boolean;
  retryAfterSeconds: number;
}

/**
 * Admits a request while the records already waiting for Kafka plus this request's fit the budget. A request larger than
 * the whole budget is admitted when nothing else is in flight, so a legal request can never be refused forever.
 */
export function admitInflight(
  inflight: number,
  incoming: number,
  maxInflight: number,
  retryAfterSeconds: number,
): InflightDecision {
  const admit = inflight === 0 || inflight + incoming <= maxInflight;
  return { admit, retryAfterSeconds };
}

export interface Bucket {
  tokens: number;
  updatedMs: number;
}

export interface RateDecision {
  admit: boolean;
  bucket: Bucket;
  retryAfterSeconds: number;
}

/**
 * Token bucket: `ratePerSecond` tokens per second on average, bursts up to `burst`; one request takes `count` tokens. A take
 * larger than the burst is admitted on a full bucket and leaves a debt, so a legal request can never be refused forever.
 */
export function takeToken(
  bucket: Bucket | undefined,
  nowMs: number,
  ratePerSecond: number,
  burst: number,
  count = 1,
): RateDecision {
  const previous = bucket ?? { tokens: burst, updatedMs: nowMs };
  const refilled = Math.min(burst, previous.tokens + ((nowMs - previous.updatedMs) / 1000) * ratePerSecond);
  const needed = Math.min(count, burst);
  if (refilled >= needed) return { admit: true, bucket: { tokens: refilled - count, updatedMs: nowMs }, retryAfterSeconds: 0 };
  return {
    admit: false,
    bucket: { tokens: refilled, updatedMs: nowMs },
    retryAfterSeconds: Math.max(1, Math.ceil((needed - refilled) / ratePerSecond)),
  };
}
