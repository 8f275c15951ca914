// One second of the pipeline as Prometheus and the fleet see it: what the live view draws, the summary sums up and the
// end-to-end suite checks. A query that fails or returns nothing reads as NaN (unknown), never as 0.
import type { FleetStatus } from './fleet/protocol.ts';
import { rejectionsByReason } from './rejections.ts';

export interface Sample {
  /** Seconds since the storm began. */
  t: number;
  phase: string;
  /** Storm's own offered rate this second (what it sent). */
  stormRate: number;
  /** Records the storm has had acknowledged (2xx) so far. */
  acceptedTotal: number;
  offered: number;
  accepted: number;
  rejected: number;
  /** Rejected records per second by the producer's reason label (rate_limited, kafka_unavailable, invalid …). */
  rejectedByReason: Record<string, number>;
  replicas: number;
  readyReplicas: number;
  desired: number;
  demand: number;
  cap: number;
  spendPerHour: number;
  budgetPerHour: number;
  lag: number;
  /** The consumers' rows-written counter as Prometheus has it now (it restarts from 0 with a consumer). */
  rowsWritten: number;
  /** Rows written since the run began, across consumer restarts (see carryCounter). */
  rowsStored: number;
}

export async function promScalar(prometheusUrl: string, query: string): Promise<number> {
  try {
    const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(query)}`, {
      signal: AbortSignal.timeout(2_000),
    });
    const body = (await response.json()) as { status: string; data?: { result: { value: [number, string] }[] } };
    const first = body.data?.result[0];
    return body.status === 'success' && first !== undefined ? Number(first.value[1]) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Every series of an instant vector with its labels; an error or a non-success answer throws. */
export async function promVector(
  prometheusUrl: string,
  query: string,
): Promise<{ labels: Record<string, string>; value: number }[]> {
  const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(query)}`, {
    signal: AbortSignal.timeout(2_000),
  });
  const body = (await response.json()) as {
    status: string;
    error?: string;
    data?: { result: { metric: Record<string, string>; value: [number, string] }[] };
  };
  if (body.status !== 'success' || body.data === undefined) throw new Error(`prometheus: ${body.error ?? body.status}`);
  return body.data.result.map((series) => ({ labels: series.metric, value: Number(series.value[1]) }));
}

export function rejectedByReasonQuery(namespace: string): string {
  return `sum by (reason) (rate(tormenta_ingest_records_rejected_total{namespace="${namespace}"}[15s]))`;
}

type ScalarField = Exclude<
  keyof Sample,
  't' | 'phase' | 'stormRate' | 'acceptedTotal' | 'replicas' | 'readyReplicas' | 'rejectedByReason' | 'rowsStored'
>;

export interface CounterCarry {
  /** The last reading. */
  last: number;
  /** What the counter had counted before its restarts. */
  carried: number;
}

export const INITIAL_CARRY: CounterCarry = { last: 0, carried: 0 };

/**
 * A counter's total across restarts of the process that exports it, as Prometheus' increase() treats a drop: the value
 * before the drop is carried over. An unreadable value is unknown (NaN) and leaves the carry as it was.
 */
export function carryCounter(state: CounterCarry, reading: number): { state: CounterCarry; total: number } {
  if (!Number.isFinite(reading)) return { state, total: Number.NaN };
  const carried = reading < state.last ? state.carried + state.last : state.carried;
  return { state: { last: reading, carried }, total: carried + reading };
}

export function sampleQueries(namespace: string): Record<ScalarField, string> {
  const ns = `namespace="${namespace}"`;
  return {
    offered: `sum(rate(tormenta_ingest_records_received_total{${ns}}[15s]))`,
    accepted: `sum(rate(tormenta_ingest_records_accepted_total{${ns}}[15s]))`,
    rejected: `sum(rate(tormenta_ingest_records_rejected_total{${ns}}[15s]))`,
    desired: `max(tormenta_autoscaler_desired_replicas{${ns}})`,
    demand: `max(tormenta_autoscaler_demand_replicas{${ns}})`,
    cap: `max(tormenta_autoscaler_budget_cap_replicas{${ns}})`,
    spendPerHour: `sum(tormenta_autoscaler_spend_per_hour{${ns}})`,
    budgetPerHour: `max(tormenta_autoscaler_budget_per_hour{${ns}})`,
    lag: `sum(tormenta_consumer_lag_records{${ns}})`,
    rowsWritten: `sum(tormenta_enrich_records_total{${ns}, outcome!="dead_lettered"})`,
  };
}

export async function observe(
  prometheusUrl: string,
  namespace: string,
  fleet: FleetStatus,
  base: Pick<Sample, 't' | 'phase' | 'stormRate' | 'acceptedTotal'>,
  rows: { carry: CounterCarry },
): Promise<Sample> {
  const queries = Object.entries(sampleQueries(namespace));
  const [values, byReason] = await Promise.all([
    Promise.all(queries.map(([, query]) => promScalar(prometheusUrl, query))),
    promVector(prometheusUrl, rejectedByReasonQuery(namespace)).catch(() => []),
  ]);
  const read = Object.fromEntries(queries.map(([name], index) => [name, values[index]!])) as Record<ScalarField, number>;
  const stored = carryCounter(rows.carry, read.rowsWritten);
  rows.carry = stored.state;
  const rejections = rejectionsByReason(byReason.map((series) => ({ reason: series.labels.reason, value: series.value })));
  return {
    ...base,
    replicas: fleet.replicas,
    readyReplicas: fleet.readyReplicas,
    ...read,
    rowsStored: stored.total,
    rejectedByReason: Object.fromEntries(rejections.map((rejection) => [rejection.reason, rejection.value])),
  };
}
