// `explain`: print the inputs and every step of one decision. The inputs come from an ExplainInputSource; this file has
// the command-line one. The live one (read the target's config, scale, history and metric from the running controller)
// belongs with the loop: implement ExplainInputSource there and hand it to `explain`.
import { parseArgs } from 'node:util';
import { AUTOSCALER_ERROR_CODES, AutoscalerError } from '../errors.ts';
import { decidePass } from '../policy/decide.ts';
import type { PassResult } from '../policy/decide.ts';
import { DEFAULT_BEHAVIOR, DEFAULT_SURGE_GUARD, DEFAULT_TOLERANCE } from '../policy/defaults.ts';
import { EMPTY_HISTORY } from '../policy/types.ts';
import type { Decision, DecisionHistory, ObservedTarget, TargetPolicySpec } from '../policy/types.ts';

export interface ExplainInputs {
  readonly observed: ObservedTarget;
  readonly spec: TargetPolicySpec;
  readonly history: DecisionHistory;
  readonly budgetPerHour: number;
  readonly currency: string;
  readonly now: number;
  /** Where the numbers came from, printed first (e.g. "command line", "live: tormenta/producer"). */
  readonly origin: string;
  /** How the cost per replica-hour was arrived at (cost/replica-cost.ts), when it was derived or overridden. */
  readonly costDerivation?: string;
  /** Where the hourly cap came from: maxPerHour, or tightened by a day or month budget. */
  readonly budgetDerivation?: string;
}

export interface ExplainInputSource {
  load(): Promise<ExplainInputs>;
}

export const EXPLAIN_USAGE = `usage: explain --live URL [--target NAME]   (the running controller's last decision)
       explain --rate R --current N --target-per-replica T [--cost C] [--budget B] [--currency USD]
               [--min N] [--max N] [--tolerance 0.1] [--name producer] [--recent 8,9,10] [--json]
  --recent  unstabilized recommendations of the last passes, oldest first, one poll interval (15 s) apart`;

function numberOption(values: Record<string, string | boolean | undefined>, key: string, fallback?: number): number {
  const raw = values[key];
  if (raw === undefined) {
    if (fallback !== undefined) return fallback;
    throw new AutoscalerError(AUTOSCALER_ERROR_CODES.cliArgumentInvalid, `--${key} is required\n${EXPLAIN_USAGE}`);
  }
  const value = Number(raw);
  // NaN and Infinity are allowed for --rate: explaining what a broken metric does is the point.
  if (typeof raw !== 'string' || raw.trim() === '' || (Number.isNaN(value) && raw !== 'NaN')) {
    throw new AutoscalerError(AUTOSCALER_ERROR_CODES.cliArgumentInvalid, `--${key} must be a number, got "${String(raw)}"`);
  }
  return value;
}

export function inputsFromCommandLine(argv: readonly string[], now = 0): { inputs: ExplainInputs; json: boolean } {
  const { values } = parseArgs({
    args: [...argv],
    options: Object.fromEntries(
      ['rate', 'current', 'target-per-replica', 'cost', 'budget', 'currency', 'min', 'max', 'tolerance', 'name', 'recent']
        .map((key) => [key, { type: 'string' as const }])
        .concat([['json', { type: 'boolean' as const }]] as never),
    ),
    strict: true,
  }) as { values: Record<string, string | boolean | undefined> };
  const poll = 15;
  const recent = typeof values['recent'] === 'string' && values['recent'] !== '' ? values['recent'].split(',').map(Number) : [];
  if (recent.some((value) => !Number.isInteger(value) || value < 0)) {
    throw new AutoscalerError(AUTOSCALER_ERROR_CODES.cliArgumentInvalid, '--recent must be comma-separated replica counts');
  }
  const spec: TargetPolicySpec = {
    name: typeof values['name'] === 'string' ? values['name'] : 'target',
    minReplicas: numberOption(values, 'min', 1),
    maxReplicas: numberOption(values, 'max', Number.MAX_SAFE_INTEGER),
    targetPerReplica: numberOption(values, 'target-per-replica'),
    costPerReplicaHour: numberOption(values, 'cost', 0),
    tolerance: numberOption(values, 'tolerance', DEFAULT_TOLERANCE),
    behavior: DEFAULT_BEHAVIOR,
    surge: DEFAULT_SURGE_GUARD,
  };
  const history: DecisionHistory = {
    ...EMPTY_HISTORY,
    recommendations: recent.map((replicas, index) => ({ at: now - poll * (recent.length - index), replicas })),
  };
  const inputs: ExplainInputs = {
    observed: {
      currentReplicas: numberOption(values, 'current'),
      metric: { kind: 'rate', rate: numberOption(values, 'rate'), source: 'fresh' },
    },
    spec,
    history,
    budgetPerHour: numberOption(values, 'budget', Number.POSITIVE_INFINITY),
    currency: typeof values['currency'] === 'string' ? values['currency'] : 'USD',
    now,
    origin: 'command line',
  };
  return { inputs, json: values['json'] === true };
}

function limit(value: number): string {
  return value === Number.POSITIVE_INFINITY || value === Number.MAX_SAFE_INTEGER ? 'none' : String(value);
}

export function explain(inputs: ExplainInputs): { result: PassResult; text: string } {
  const result = decidePass(
    [{ observed: inputs.observed, spec: inputs.spec, history: inputs.history }],
    inputs.budgetPerHour,
    inputs.now,
  );
  return { result, text: formatExplanation(inputs, result.decisions[0]!) };
}

/** The inputs and every step of one decision, as text; the decision may be recomputed or the controller's own. */
export function formatExplanation(inputs: ExplainInputs, decision: Decision): string {
  const { spec, observed } = inputs;
  const metric =
    observed.metric.kind === 'rate' ? `${observed.metric.rate} per second (${observed.metric.source})` : 'unavailable';
  const lines = [
    `inputs (${inputs.origin})`,
    `  target ${spec.name}: ${observed.currentReplicas} replicas now, metric ${metric}`,
    `  targetPerReplica ${spec.targetPerReplica}, tolerance ${spec.tolerance}, min ${spec.minReplicas}, max ${limit(spec.maxReplicas)}`,
    `  cost ${spec.costPerReplicaHour} ${inputs.currency}/replica-hour, budget ${limit(inputs.budgetPerHour)} ${inputs.currency}/h`,
    ...(inputs.costDerivation === undefined ? [] : [`  cost from ${inputs.costDerivation}`]),
    ...(inputs.budgetDerivation === undefined ? [] : [`  budget from ${inputs.budgetDerivation}`]),
    `  behavior: scale-up window ${spec.behavior.scaleUp.stabilizationWindowSeconds} s, scale-down window ${spec.behavior.scaleDown.stabilizationWindowSeconds} s; ` +
      `surge guard ${spec.surge.multiple}× the median of ${spec.surge.baselineWindowSeconds} s`,
    `  history: ${inputs.history.recommendations.length} recommendations, ${inputs.history.scaleEvents.length} scale events, ${inputs.history.rates.length} rate samples`,
    'steps',
    ...decision.steps.map(
      (step, index) =>
        `  ${String(index + 1).padStart(2)}. ${step.stage.padEnd(13)} ${String(step.value).padStart(10)}${step.changed ? ' *' : '  '} ${step.detail}`,
    ),
    'decision',
    `  replicas ${decision.replicas} (demand ${decision.demand ?? 'n/a'}, cap ${limit(decision.cap)})`,
    `  bound by ${decision.boundBy}, reason ${decision.reason}${decision.surgeLimited ? ', surge flagged' : ''}${decision.minimumCut ? ', minimum cut by the budget' : ''}`,
  ];
  return lines.join('\n');
}
