// One second of the pipeline as Prometheus and the fleet see it: what the live view draws, the summary sums up and the
// end-to-end suite checks. A query that fails or returns nothing reads as NaN (unknown), never as 0.
import type { FleetStatus } from './fleet/protocol.ts';

export interface Sample {
  /** Seconds since the storm began. */
  t: number;
  phase: string;
  /** Storm's own offered rate this second (what it sent). */
  stormRate: number;
  offered: number;
  accepted: number;
  rejected: number;
  replicas: number;
  readyReplicas: number;
  desired: number;
  demand: number;
  cap: number;
  spendPerHour: number;
  budgetPerHour: number;
  lag: number;
  rowsWritten: number;
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

export function sampleQueries(
  namespace: string,
): Record<Exclude<keyof Sample, 't' | 'phase' | 'stormRate' | 'replicas' | 'readyReplicas'>, string> {
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
  base: Pick<Sample, 't' | 'phase' | 'stormRate'>,
): Promise<Sample> {
  const queries = Object.entries(sampleQueries(namespace));
  const values = await Promise.all(queries.map(([, query]) => promScalar(prometheusUrl, query)));
  const read = Object.fromEntries(queries.map(([name], index) => [name, values[index]!])) as Record<string, number>;
  return {
    ...base,
    replicas: fleet.replicas,
    readyReplicas: fleet.readyReplicas,
    ...(read as Omit<Sample, 't' | 'phase' | 'stormRate' | 'replicas' | 'readyReplicas'>),
  };
}
