// Rejected records by why they were refused, as the producer counts them (tormenta_ingest_records_rejected_total's
// `reason` label), each with the HTTP status a pushing client got for it — so the view can tell "over capacity" (429)
// from "Kafka unavailable or draining" (503) or a client's bad input (400, 413) instead of calling them all 429.
import type { RejectReason } from '@tormenta/producer';

interface ReasonMeaning {
  status: number;
  meaning: string;
}

// `satisfies` makes a reason the producer adds a compile error here until it has a status and a meaning.
export const REJECT_REASONS = {
  rate_limited: { status: 429, meaning: "over the replicas' capacity" },
  backpressure: { status: 429, meaning: 'too many records waiting for Kafka' },
  kafka_unavailable: { status: 503, meaning: 'Kafka unavailable' },
  draining: { status: 503, meaning: 'replica draining' },
  write_failed: { status: 503, meaning: 'Kafka did not acknowledge' },
  invalid: { status: 400, meaning: 'invalid records' },
  oversized: { status: 413, meaning: 'record over the size limit' },
  too_many_records: { status: 413, meaning: 'too many records in one request' },
} as const satisfies Record<RejectReason, ReasonMeaning>;

export interface RejectionRate {
  reason: string;
  /** The HTTP status a pushing client got; null for a reason this table does not know yet. */
  status: number | null;
  meaning: string;
  /** Records per second (or records, for totals). */
  value: number;
}

/**
 * One row per reason, summed over the series given (one per replica or per query label set); unreadable values are
 * left out, never counted as 0; sorted by status, then by reason, so 429s and 503s stay apart and in place.
 */
export function rejectionsByReason(series: readonly { reason: string | undefined; value: number }[]): RejectionRate[] {
  const totals = new Map<string, number>();
  for (const { reason, value } of series) {
    if (!Number.isFinite(value)) continue;
    const key = reason ?? 'unknown';
    totals.set(key, (totals.get(key) ?? 0) + value);
  }
  return [...totals]
    .map(([reason, value]) => {
      const known = (REJECT_REASONS as Record<string, ReasonMeaning | undefined>)[reason];
      return { reason, status: known?.status ?? null, meaning: known?.meaning ?? reason, value };
    })
    .sort((a, b) => (a.status ?? 999) - (b.status ?? 999) || a.reason.localeCompare(b.reason));
}

/** "429 over the replicas' capacity" — how the view, the summary and the plot's legend name a reason. */
export function rejectionLabel(rejection: Pick<RejectionRate, 'status' | 'meaning'>): string {
  return `${rejection.status ?? '???'} ${rejection.meaning}`;
}

const STATUS_MEANINGS: Record<number, string> = {
  400: 'invalid',
  401: 'unauthorized',
  413: 'too large',
  429: 'over capacity',
  503: 'Kafka unavailable or draining',
};

/** The storm's own count of refused records by the status it got back: "429 over capacity 1 200 · 503 … 40". */
export function statusLabel(status: number): string {
  return `${status} ${STATUS_MEANINGS[status] ?? 'error'}`;
}
