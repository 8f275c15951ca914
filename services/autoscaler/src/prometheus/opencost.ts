// OpenCost's live prices through the same Prometheus the metrics come from: node_cpu_hourly_cost (per vCPU-hour) and
// node_ram_hourly_cost (per GiB-hour; OpenCost's docs say "per Gb", its cost model divides by 2^30). A failed, empty,
// non-finite or zero answer is "no live price" with the reason, so the caller falls back to the ConfigMap's prices or
// reports the target's cost as unknown — never a price of 0 (OpenCost exports 0 for some GPU nodes).
import type { MetricReading } from '../fallback/metric-fallback.ts';
import type { UnitPrices } from '../cost/replica-cost.ts';

export interface OpenCostQueries {
  readonly cpuQuery: string;
  readonly memoryQuery: string;
}

export interface LivePrices {
  readonly prices?: UnitPrices;
  readonly problem?: string;
}

function priceOf(reading: MetricReading, query: string): number | string {
  if (reading.kind === 'error') return `${query}: ${reading.message}`;
  if (reading.kind === 'empty') return `${query}: no series (is OpenCost scraped?)`;
  if (!Number.isFinite(reading.value) || reading.value <= 0) return `${query}: ${reading.value} is not a price`;
  return reading.value;
}

export function livePricesFrom(cpu: MetricReading, memory: MetricReading, queries: OpenCostQueries): LivePrices {
  const perVcpuHour = priceOf(cpu, queries.cpuQuery);
  const perGibHour = priceOf(memory, queries.memoryQuery);
  const problems = [perVcpuHour, perGibHour].filter((value) => typeof value === 'string');
  if (problems.length > 0) return { problem: problems.join('; ') };
  return { prices: { perVcpuHour: perVcpuHour as number, perGibHour: perGibHour as number } };
}

export async function readOpenCostPrices(
  readMetric: (prometheusUrl: string, query: string) => Promise<MetricReading>,
  prometheusUrl: string,
  queries: OpenCostQueries,
): Promise<LivePrices> {
  const [cpu, memory] = await Promise.all([
    readMetric(prometheusUrl, queries.cpuQuery),
    readMetric(prometheusUrl, queries.memoryQuery),
  ]);
  return livePricesFrom(cpu, memory, queries);
}
