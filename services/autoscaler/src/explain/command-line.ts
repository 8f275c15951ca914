// `explain`'s command-line inputs. Every flag that is a config field is checked by the ConfigMap's own schema (a flag
// name in the error instead of a JSON pointer), so the CLI accepts exactly what the controller would: --budget -1 or
// --target-per-replica 0 are refused as the ConfigMap would refuse them. A budget needs a price source, as in the
// ConfigMap: --cost, or --cpu/--memory requests with --per-vcpu-hour/--per-gib-hour (the derivation is printed).
import { parseArgs } from 'node:util';
import { AUTOSCALER_ERROR_CODES, AutoscalerError } from '../errors.ts';
import { parseAutoscalerConfig, toTargetPolicySpec } from '../config/schema.ts';
import { parseQuantity, BYTES_PER_GIB } from '../cost/quantity.ts';
import { deriveReplicaCost } from '../cost/replica-cost.ts';
import { EMPTY_HISTORY } from '../policy/types.ts';
import type { DecisionHistory } from '../policy/types.ts';
import type { ExplainInputs } from './explain.ts';

export const EXPLAIN_USAGE = `usage: explain --live URL [--target NAME]   (the running controller's last decision)
       explain --rate R --current N --target-per-replica T [--budget B [--cost C | --cpu 500m --memory 512Mi
               --per-vcpu-hour P --per-gib-hour P]] [--currency USD] [--min N] [--max N] [--tolerance 0.1]
               [--name producer] [--recent 8,9,10] [--json]
  --recent  unstabilized recommendations of the last passes, oldest first, one poll interval (15 s) apart`;

const CONFIG_FLAGS: Readonly<Record<string, string>> = {
  '/budget/maxPerHour': '--budget',
  '/budget/currency': '--currency',
  '/targets/0/name': '--name',
  '/targets/0/costPerReplicaHour': '--cost (or --cpu/--memory with --per-vcpu-hour/--per-gib-hour)',
  '/targets/0/minReplicas': '--min',
  '/targets/0/maxReplicas': '--max',
  '/targets/0/tolerance': '--tolerance',
  '/targets/0/metric/targetPerReplica': '--target-per-replica',
  '/prices/perVcpuHour': '--per-vcpu-hour',
  '/prices/perGibHour': '--per-gib-hour',
};

const invalid = (message: string): AutoscalerError => new AutoscalerError(AUTOSCALER_ERROR_CODES.cliArgumentInvalid, message);

type Values = Record<string, string | boolean | undefined>;

/** A number flag; undefined when absent. NaN and ±Infinity are numbers here (a broken metric is worth explaining). */
function numberFlag(values: Values, key: string): number | undefined {
  const raw = values[key];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || (Number.isNaN(value) && raw !== 'NaN')) {
    throw invalid(`--${key} must be a number, got "${String(raw)}"`);
  }
  return value;
}

function required(values: Values, key: string): number {
  const value = numberFlag(values, key);
  if (value === undefined) throw invalid(`--${key} is required\n${EXPLAIN_USAGE}`);
  return value;
}

export function inputsFromCommandLine(argv: readonly string[], now = 0): { inputs: ExplainInputs; json: boolean } {
  const stringFlags = ['rate', 'current', 'target-per-replica', 'cost', 'budget', 'currency', 'min', 'max', 'tolerance'];
  const { values } = parseArgs({
    args: [...argv],
    options: Object.fromEntries(
      [...stringFlags, 'name', 'recent', 'cpu', 'memory', 'per-vcpu-hour', 'per-gib-hour']
        .map((key) => [key, { type: 'string' as const }])
        .concat([['json', { type: 'boolean' as const }]] as never),
    ),
    strict: true,
  }) as { values: Values };
  const rate = required(values, 'rate');
  const current = required(values, 'current');
  if (!Number.isSafeInteger(current) || current < 0)
    throw invalid(`--current must be a whole number of replicas ≥ 0, got ${current}`);
  const recent = typeof values['recent'] === 'string' && values['recent'] !== '' ? values['recent'].split(',').map(Number) : [];
  if (recent.some((value) => !Number.isInteger(value) || value < 0))
    throw invalid('--recent must be comma-separated replica counts');

  const budget = numberFlag(values, 'budget');
  const cost = numberFlag(values, 'cost');
  const perVcpuHour = numberFlag(values, 'per-vcpu-hour');
  const perGibHour = numberFlag(values, 'per-gib-hour');
  const prices = perVcpuHour === undefined && perGibHour === undefined ? undefined : { perVcpuHour, perGibHour };
  // Without a budget the cost decides nothing: it may be left out (0), as before.
  const costField = cost ?? (budget === undefined && prices === undefined ? 0 : undefined);
  const raw = {
    // Placeholders for what the command line does not decide: they are valid by construction.
    budget: { currency: typeof values['currency'] === 'string' ? values['currency'] : 'USD', maxPerHour: budget ?? 0 },
    prometheus: { url: 'http://explain.invalid' },
    ...(prices === undefined ? {} : { prices }),
    targets: [
      {
        name: typeof values['name'] === 'string' ? values['name'] : 'target',
        kind: 'Deployment',
        namespace: 'explain',
        ...(costField === undefined ? {} : { costPerReplicaHour: costField }),
        minReplicas: numberFlag(values, 'min') ?? 1,
        maxReplicas: numberFlag(values, 'max') ?? Number.MAX_SAFE_INTEGER,
        metric: { query: 'command line', targetPerReplica: required(values, 'target-per-replica') },
        ...(values['tolerance'] === undefined ? {} : { tolerance: numberFlag(values, 'tolerance') }),
      },
    ],
  };
  let config;
  try {
    config = parseAutoscalerConfig(raw);
  } catch (error) {
    if (!(error instanceof AutoscalerError)) throw error;
    const problems = error.issues.map((issue) => `${CONFIG_FLAGS[issue.path] ?? issue.path}: ${issue.message}`);
    throw invalid(`invalid flags (the ConfigMap's rules): ${problems.join('; ')}`);
  }
  const target = config.targets[0]!;
  const derived = costField === undefined ? derivedCost(values, config.prices, config.budget.currency) : undefined;
  const spec = toTargetPolicySpec(config, target, derived?.costPerReplicaHour ?? costField ?? 0);
  const poll = 15;
  const history: DecisionHistory = {
    ...EMPTY_HISTORY,
    recommendations: recent.map((replicas, index) => ({ at: now - poll * (recent.length - index), replicas })),
  };
  const inputs: ExplainInputs = {
    observed: { currentReplicas: current, metric: { kind: 'rate', rate, source: 'fresh' } },
    spec,
    history,
    budgetPerHour: budget ?? Number.POSITIVE_INFINITY,
    currency: config.budget.currency,
    now,
    origin: 'command line',
    ...(derived === undefined ? {} : { costDerivation: derived.derivation }),
  };
  return { inputs, json: values['json'] === true };
}

function derivedCost(
  values: Values,
  prices: { perVcpuHour?: number | undefined; perGibHour?: number | undefined } | undefined,
  currency: string,
): { costPerReplicaHour: number; derivation: string } {
  const quantity = (key: 'cpu' | 'memory'): number => {
    const raw = values[key];
    if (typeof raw !== 'string') return 0;
    const value = parseQuantity(raw);
    if (value === undefined || value < 0) throw invalid(`--${key} must be a Kubernetes quantity (500m, 512Mi), got "${raw}"`);
    return key === 'memory' ? value / BYTES_PER_GIB : value;
  };
  const configuredPrices =
    prices?.perVcpuHour === undefined || prices.perGibHour === undefined
      ? undefined
      : { perVcpuHour: prices.perVcpuHour, perGibHour: prices.perGibHour };
  const result = deriveReplicaCost(
    { requests: { cpuCores: quantity('cpu'), memoryGiB: quantity('memory') }, configuredPrices },
    currency,
  );
  if (!result.ok) throw invalid(`cannot derive the cost: ${result.problem} (--cpu/--memory give the requests)`);
  return result;
}
