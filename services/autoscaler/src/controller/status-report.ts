// What `kubectl describe configmap <autoscaler>-status` shows: per target, demand, desired, applied, cap, cost and spend
// (per hour and in the UTC hour/day/month), what bound the decision, and conditions in the HPA's vocabulary
// (AbleToScale, ScalingActive, ScalingLimited), each with the time it last changed; plus a `summary` table and the
// budget. Pure: the leader writes the result (kube/status-config-map.ts).
import { dumpYaml } from '@kubernetes/client-node';
import type { TargetStatus } from './reconciler.ts';
import type { BudgetStatus } from './spend-tracker.ts';

export type ConditionType = 'AbleToScale' | 'ScalingActive' | 'ScalingLimited';

export interface Condition {
  readonly type: ConditionType;
  readonly status: 'True' | 'False';
  readonly reason: string;
  readonly message: string;
  readonly lastTransitionTime?: string;
}

const LIMITING_REASONS = new Set([
  'TooManyReplicas',
  'TooFewReplicas',
  'BudgetCapReached',
  'BudgetBelowMinimum',
  'SurgeLimited',
  'ScaleUpLimit',
  'ScaleDownLimit',
]);

/** The HPA's three conditions for one target's last pass. */
export function conditionsOf(status: TargetStatus): Condition[] {
  const { decision } = status;
  const able: Condition =
    status.error !== undefined && status.cost.ok && !status.error.startsWith('could not read')
      ? { type: 'AbleToScale', status: 'False', reason: 'FailedUpdateScale', message: status.error }
      : status.error?.startsWith('could not read') === true
        ? { type: 'AbleToScale', status: 'False', reason: 'FailedGetScale', message: status.error }
        : decision.boundBy === 'paused'
          ? { type: 'AbleToScale', status: 'False', reason: 'Paused', message: 'paused: left to manual scaling' }
          : decision.reason === 'ScaleUpStabilized' || decision.reason === 'ScaleDownStabilized'
            ? {
                type: 'AbleToScale',
                status: 'True',
                reason: decision.reason,
                message: 'recent recommendations hold the change back',
              }
            : status.applied
              ? {
                  type: 'AbleToScale',
                  status: 'True',
                  reason: 'SucceededRescale',
                  message: `set to ${decision.replicas} replicas`,
                }
              : { type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale', message: 'the scale can be changed' };
  const active: Condition = !status.cost.ok
    ? { type: 'ScalingActive', status: 'False', reason: 'CostUnknown', message: status.cost.problem }
    : decision.reason === 'ScalingDisabled'
      ? { type: 'ScalingActive', status: 'False', reason: 'ScalingDisabled', message: 'scaled to 0 with minReplicas > 0' }
      : decision.demand === null && decision.boundBy !== 'paused'
        ? {
            type: 'ScalingActive',
            status: 'False',
            reason: decision.reason === 'AwaitingMetrics' ? 'AwaitingMetrics' : 'FailedGetMetric',
            message: decision.steps.at(-2)?.detail ?? 'metric unavailable',
          }
        : { type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound', message: `rate ${status.observedRate ?? 'n/a'}` };
  const limited: Condition = LIMITING_REASONS.has(decision.reason)
    ? {
        type: 'ScalingLimited',
        status: 'True',
        reason: decision.reason,
        message: decision.steps.find((step) => step.stage === decision.boundBy && step.changed)?.detail ?? decision.reason,
      }
    : { type: 'ScalingLimited', status: 'False', reason: 'DesiredWithinRange', message: 'the desired count is within range' };
  return [able, active, limited];
}

/** Keeps a condition's lastTransitionTime while its status stays the same. */
export function withTransitions(previous: readonly Condition[] | undefined, next: readonly Condition[], at: string): Condition[] {
  return next.map((condition) => {
    const before = previous?.find((candidate) => candidate.type === condition.type);
    const since = before !== undefined && before.status === condition.status ? before.lastTransitionTime : undefined;
    return { ...condition, lastTransitionTime: since ?? at };
  });
}

const money = (amount: number): string => amount.toFixed(2);
const cap = (value: number | null): string => (value === null || value === Number.POSITIVE_INFINITY ? 'none' : String(value));

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export interface StatusReport {
  readonly data: Record<string, string>;
  readonly conditions: ReadonlyMap<string, readonly Condition[]>;
}

export function renderStatus(
  targets: readonly TargetStatus[],
  budget: BudgetStatus | undefined,
  currency: string,
  previous: ReadonlyMap<string, readonly Condition[]>,
  at: string,
): StatusReport {
  const data: Record<string, string> = {};
  const conditions = new Map<string, readonly Condition[]>();
  const rows: string[][] = [
    ['TARGET', 'DEMAND', 'DESIRED', 'APPLIED', 'CAP', 'SPEND/H', 'DAY', 'MONTH', 'BOUND-BY', 'REASON', 'LIMITED'],
  ];
  for (const status of targets) {
    const { decision } = status;
    const current = withTransitions(previous.get(status.target), conditionsOf(status), at);
    conditions.set(status.target, current);
    const applied = status.applied ? decision.replicas : decision.currentReplicas;
    data[status.target] = dumpYaml({
      at: status.at,
      demand: decision.demand,
      desired: decision.replicas,
      applied,
      cap: decision.cap === Number.POSITIVE_INFINITY ? 'none' : decision.cap,
      boundBy: decision.boundBy,
      reason: decision.reason,
      cost: status.cost.ok
        ? { perReplicaHour: status.cost.costPerReplicaHour, source: status.cost.source, derivation: status.cost.derivation }
        : { unknown: status.cost.problem },
      spend: {
        currency,
        perHour: status.spend.perHour,
        hour: status.spend.hour,
        day: status.spend.day,
        month: status.spend.month,
      },
      conditions: current,
      ...(status.error === undefined ? {} : { error: status.error }),
    });
    const limited = current[2]!;
    rows.push([
      status.target,
      String(decision.demand ?? '-'),
      String(decision.replicas),
      String(applied),
      cap(decision.cap),
      money(status.spend.perHour),
      money(status.spend.day),
      money(status.spend.month),
      decision.boundBy,
      decision.reason,
      limited.status === 'True' ? limited.reason : '-',
    ]);
  }
  const budgetLines =
    budget === undefined
      ? []
      : [
          `budget ${money(budget.maxPerHour)} ${currency}/h, this pass ${money(budget.effectivePerHour)} ${currency}/h (bound by ${budget.boundBy}); running ${money(budget.spendPerHour)}/h`,
          ...budget.windows.map(
            (window) =>
              `${window.window}: spent ${money(window.spent)}, projected ${money(window.projected)}` +
              (window.budget === null
                ? ' (no budget)'
                : ` of ${money(window.budget)} (${Math.round((100 * window.projected) / Math.max(window.budget, 1e-9))} %)`),
          ),
        ];
  data['summary'] = [table(rows), '', ...budgetLines, `updated ${at}`].join('\n');
  if (budget !== undefined) data['budget'] = dumpYaml({ currency, ...budget });
  return { data, conditions };
}
