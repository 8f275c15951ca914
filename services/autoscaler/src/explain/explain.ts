// `explain`: print the inputs and every step of one decision. The inputs come from an ExplainInputSource; command-line.ts has
// the command-line one. The live one (read the target's config, scale, history and metric from the running controller)
// belongs with the loop: implement ExplainInputSource there and hand it to `explain`.
import { decidePass } from '../policy/decide.ts';
import type { PassResult } from '../policy/decide.ts';
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

export { EXPLAIN_USAGE, inputsFromCommandLine } from './command-line.ts';

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
