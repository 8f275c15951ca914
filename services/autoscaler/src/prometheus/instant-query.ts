// Reads one target's metric through the Prometheus HTTP API. Every way the answer can be unusable comes back as a
// failed reading (never as 0): an unreachable server, a non-success status, an empty vector, several series, NaN.
import type { MetricReading } from '../fallback/metric-fallback.ts';

interface PrometheusResponse {
  status: 'success' | 'error';
  error?: string;
  data?: { resultType: string; result: { value?: [number, string] }[] | [number, string] };
}

export async function readMetric(prometheusUrl: string, query: string, timeoutMs: number): Promise<MetricReading> {
  const url = `${prometheusUrl.replace(/\/$/, '')}/api/v1/query?query=${encodeURIComponent(query)}`;
  let body: PrometheusResponse;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    body = (await response.json()) as PrometheusResponse;
    if (!response.ok && body.status !== 'error') return { kind: 'error', message: `Prometheus answered ${response.status}` };
  } catch (error) {
    return {
      kind: 'error',
      message: `Prometheus ${prometheusUrl} unreachable: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  if (body.status !== 'success' || body.data === undefined) {
    return { kind: 'error', message: `query failed: ${body.error ?? 'no data'}` };
  }
  const { resultType, result } = body.data;
  if (resultType === 'scalar') return { kind: 'value', value: Number((result as [number, string])[1]) };
  if (resultType !== 'vector') return { kind: 'error', message: `query returned a ${resultType}; it must return one sample` };
  const series = result as { value?: [number, string] }[];
  if (series.length === 0) return { kind: 'empty' };
  if (series.length > 1) {
    return { kind: 'error', message: `query returned ${series.length} series; aggregate it (e.g. sum(...)) to one` };
  }
  // Prometheus writes NaN and ±Inf as strings; Number() keeps them as such for the fallback to classify.
  return { kind: 'value', value: Number(series[0]?.value?.[1]) };
}
