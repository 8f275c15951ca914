// Every benchmark script, by the name `npm run bench:<name>` gives it, and whether it needs the local stack (Kafka,
// HBase, Prometheus) up; bench/run.ts starts the stack for those. The Kubernetes test cluster is started by the
// benchmark that needs it.
export interface Benchmark {
  name: string;
  script: string;
  needsStack: boolean;
}

export const BENCHMARKS: readonly Benchmark[] = [
  { name: 'producer', script: 'services/producer/bench/producer.bench.ts', needsStack: true },
  { name: 'consumer', script: 'services/consumer/bench/consumer.bench.ts', needsStack: true },
  { name: 'hbase-write', script: 'bench/hbase-write.bench.ts', needsStack: true },
  { name: 'autoscaler', script: 'services/autoscaler/bench/policy.bench.ts', needsStack: false },
  { name: 'autoscaler-reaction', script: 'services/autoscaler/bench/reaction.bench.ts', needsStack: false },
  { name: 'e2e', script: 'bench/e2e-latency.bench.ts', needsStack: true },
];

/** The benchmarks `names` choose (all when none), or the names that match none. */
export function chooseBenchmarks(names: readonly string[]): { chosen: Benchmark[] } | { unknown: string[] } {
  const unknown = names.filter((name) => !BENCHMARKS.some((benchmark) => benchmark.name === name));
  if (unknown.length > 0) return { unknown };
  return { chosen: BENCHMARKS.filter((benchmark) => names.length === 0 || names.includes(benchmark.name)) };
}
