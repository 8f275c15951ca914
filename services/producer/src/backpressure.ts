// Pure admission decisions: the in-flight record budget (backpressure) and a per-client token bucket (rate limit).

export interface InflightDecision {
  admit: boolean;
  retryAfterSeconds: number;
}

/**
 * Admits a request while the records already waiting for Kafka plus this request's fit the budget. A request larger than
 * the whole budget is admitted when nothing else is in flight, so a legal request can never be refused forever.
 */
export function admitInflight(inflight: number, incoming: number, maxInflight: number, retryAfterSeconds: number): InflightDecision {
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

/** Token bucket: `ratePerSecond` requests per second on average, bursts up to `burst`. */
export function takeToken(bucket: Bucket | undefined, nowMs: number, ratePerSecond: number, burst: number): RateDecision {
  const previous = bucket ?? { tokens: burst, updatedMs: nowMs };
  const refilled = Math.min(burst, previous.tokens + ((nowMs - previous.updatedMs) / 1000) * ratePerSecond);
  if (refilled >= 1) return { admit: true, bucket: { tokens: refilled - 1, updatedMs: nowMs }, retryAfterSeconds: 0 };
  return {
    admit: false,
    bucket: { tokens: refilled, updatedMs: nowMs },
    retryAfterSeconds: Math.max(1, Math.ceil((1 - refilled) / ratePerSecond)),
  };
}
