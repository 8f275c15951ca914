// The autoscaler's ConfigMap content, validated once per edit: unknown keys rejected, HPA defaults filled in, cross-field
// rules in one place, every error naming its field as a JSON pointer. An invalid edit is rejected and the last valid
// config kept (the loop's job); a budget below the sum of minimums is NOT an error — lowering the budget must always take
// effect, so the policy cuts the minimums and flags it (see policy/pool.ts).
import { z } from 'zod';
import { AUTOSCALER_ERROR_CODES, AutoscalerError } from '../errors.ts';
import type { AutoscalerErrorIssue } from '../errors.ts';
import {
  DEFAULT_FAIL_STATIC_AFTER,
  DEFAULT_POLL_INTERVAL_SECONDS,
  DEFAULT_SCALE_DOWN_RULES,
  DEFAULT_SCALE_UP_RULES,
  DEFAULT_STARTUP_GRACE_SECONDS,
  DEFAULT_SURGE_GUARD,
  DEFAULT_TOLERANCE,
} from '../policy/defaults.ts';
import type { ScalingRules, TargetPolicySpec } from '../policy/types.ts';

// Kubernetes object names (RFC 1123 label; also what the `{target}` metric label carries).
const KUBE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const kubeName = z.string().max(63).regex(KUBE_NAME, 'must be a lowercase RFC 1123 label');

const policySchema = z.strictObject({
  type: z.enum(['Pods', 'Percent']),
  value: z.int().positive(),
  // The HPA's own bounds for both fields.
  periodSeconds: z.int().min(1).max(1800),
});

function rulesSchema(defaults: ScalingRules) {
  return z
    .strictObject({
      stabilizationWindowSeconds: z.int().min(0).max(3600).default(defaults.stabilizationWindowSeconds),
      selectPolicy: z.enum(['Max', 'Min', 'Disabled']).default(defaults.selectPolicy),
      policies: z
        .array(policySchema)
        .min(1)
        .default(defaults.policies.map((policy) => ({ ...policy }))),
    })
    .default({ ...defaults, policies: defaults.policies.map((policy) => ({ ...policy })) });
}

const targetSchema = z.strictObject({
  name: kubeName,
  kind: z.enum(['Deployment', 'StatefulSet']),
  namespace: kubeName,
  // A constant override; without it the cost is derived from the pod template's requests × `prices` (cost/replica-cost.ts).
  costPerReplicaHour: z.number().min(0).finite().optional(),
  minReplicas: z.int().min(0),
  maxReplicas: z.int().min(1),
  metric: z.strictObject({
    query: z.string().trim().min(1),
    targetPerReplica: z.number().positive().finite(),
    // A consumer's partition count (PromQL): it never gets more replicas than partitions, the extra ones would idle.
    partitionsQuery: z.string().trim().min(1).optional(),
  }),
  tolerance: z.number().min(0).max(1).optional(),
  behavior: z
    .strictObject({ scaleUp: rulesSchema(DEFAULT_SCALE_UP_RULES), scaleDown: rulesSchema(DEFAULT_SCALE_DOWN_RULES) })
    .default({
      scaleUp: { ...DEFAULT_SCALE_UP_RULES, policies: DEFAULT_SCALE_UP_RULES.policies.map((policy) => ({ ...policy })) },
      scaleDown: { ...DEFAULT_SCALE_DOWN_RULES, policies: DEFAULT_SCALE_DOWN_RULES.policies.map((policy) => ({ ...policy })) },
    }),
  paused: z.boolean().default(false),
});

// OpenCost exports a price per node; the most expensive node is what a new replica may land on, so the budget holds.
export const DEFAULT_OPENCOST_CPU_QUERY = 'max(node_cpu_hourly_cost)';
export const DEFAULT_OPENCOST_MEMORY_QUERY = 'max(node_ram_hourly_cost)';

const pricesSchema = z.strictObject({
  // Positive: a price of 0 would make every replica free, which is what a missing price must never do.
  perVcpuHour: z.number().positive().finite().optional(),
  perGibHour: z.number().positive().finite().optional(),
  opencost: z
    .strictObject({
      cpuQuery: z.string().trim().min(1).default(DEFAULT_OPENCOST_CPU_QUERY),
      memoryQuery: z.string().trim().min(1).default(DEFAULT_OPENCOST_MEMORY_QUERY),
    })
    .optional(),
});

export const autoscalerConfigSchema = z
  .strictObject({
    budget: z.strictObject({
      currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD'),
      maxPerHour: z.number().min(0).finite(),
      // Budgets for the UTC day and month: the hourly cap is tightened so they hold (budget/pacing.ts).
      maxPerDay: z.number().min(0).finite().optional(),
      maxPerMonth: z.number().min(0).finite().optional(),
    }),
    pollIntervalSeconds: z.int().min(1).max(3600).default(DEFAULT_POLL_INTERVAL_SECONDS),
    prometheus: z.strictObject({ url: z.url({ protocol: /^https?$/ }) }),
    tolerance: z.number().min(0).max(1).default(DEFAULT_TOLERANCE),
    surge: z
      .strictObject({
        multiple: z.number().gt(1).finite().default(DEFAULT_SURGE_GUARD.multiple),
        baselineWindowSeconds: z.int().min(1).max(86_400).default(DEFAULT_SURGE_GUARD.baselineWindowSeconds),
        minSamples: z.int().min(1).default(DEFAULT_SURGE_GUARD.minSamples),
      })
      .default({ ...DEFAULT_SURGE_GUARD }),
    failStaticAfter: z.int().min(1).default(DEFAULT_FAIL_STATIC_AFTER),
    /** Seconds from the first pass during which a metric never read yet holds quietly (no MetricsUnavailable Event). */
    startupGraceSeconds: z.int().min(0).max(3600).default(DEFAULT_STARTUP_GRACE_SECONDS),
    prices: pricesSchema.optional(),
    targets: z.array(targetSchema).min(1),
  })
  .superRefine((config, context) => {
    const prices = config.prices;
    if (prices !== undefined) {
      for (const [field, other] of [
        ['perVcpuHour', 'perGibHour'],
        ['perGibHour', 'perVcpuHour'],
      ] as const) {
        if (prices[field] === undefined && prices[other] !== undefined) {
          context.addIssue({
            code: 'custom',
            path: ['prices', field],
            message: `required with ${other} (a missing price would count as 0)`,
          });
        }
      }
      if (prices.perVcpuHour === undefined && prices.perGibHour === undefined && prices.opencost === undefined) {
        context.addIssue({ code: 'custom', path: ['prices'], message: 'set perVcpuHour and perGibHour, or opencost, or both' });
      }
    }
    const seen = new Map<string, number>();
    config.targets.forEach((target, index) => {
      if (target.minReplicas > target.maxReplicas) {
        context.addIssue({
          code: 'custom',
          path: ['targets', index, 'minReplicas'],
          message: `must be ≤ maxReplicas (${target.maxReplicas})`,
        });
      }
      if (target.costPerReplicaHour === undefined && prices === undefined) {
        context.addIssue({
          code: 'custom',
          path: ['targets', index, 'costPerReplicaHour'],
          message:
            'no price source: set costPerReplicaHour, or prices (perVcpuHour and perGibHour, or opencost) to derive it from the pod template',
        });
      }
      // Names key the budget pool, the tie-break and the `{target}` label, so they are unique across namespaces too.
      const first = seen.get(target.name);
      if (first !== undefined) {
        context.addIssue({ code: 'custom', path: ['targets', index, 'name'], message: `duplicates /targets/${first}/name` });
      } else {
        seen.set(target.name, index);
      }
    });
    if (config.surge.minSamples * config.pollIntervalSeconds > config.surge.baselineWindowSeconds) {
      context.addIssue({
        code: 'custom',
        path: ['surge', 'minSamples'],
        message: `${config.surge.minSamples} samples every ${config.pollIntervalSeconds} s never fit in baselineWindowSeconds ${config.surge.baselineWindowSeconds}`,
      });
    }
  });

export type AutoscalerConfig = z.output<typeof autoscalerConfigSchema>;
export type AutoscalerTargetConfig = AutoscalerConfig['targets'][number];

function toPointer(path: readonly PropertyKey[]): string {
  return path.map((segment) => `/${String(segment).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

/** Parses the ConfigMap's (already YAML/JSON-decoded) content; throws TORMENTA_AUTOSCALER_CONFIG_INVALID with every issue. */
export function parseAutoscalerConfig(input: unknown): AutoscalerConfig {
  const result = autoscalerConfigSchema.safeParse(input);
  if (result.success) return result.data;
  const issues: AutoscalerErrorIssue[] = result.error.issues.map((issue) => ({
    path: toPointer(issue.path),
    message: issue.message,
  }));
  const summary = issues.map((issue) => `${issue.path || '/'}: ${issue.message}`).join('; ');
  throw new AutoscalerError(AUTOSCALER_ERROR_CODES.configInvalid, `invalid autoscaler config: ${summary}`, issues);
}

/** The policy's view of one target, with its cost this pass (the override, or derived: cost/replica-cost.ts). */
export function toTargetPolicySpec(
  config: AutoscalerConfig,
  target: AutoscalerTargetConfig,
  costPerReplicaHour: number,
): TargetPolicySpec {
  return {
    name: target.name,
    minReplicas: target.minReplicas,
    maxReplicas: target.maxReplicas,
    targetPerReplica: target.metric.targetPerReplica,
    costPerReplicaHour,
    tolerance: target.tolerance ?? config.tolerance,
    behavior: target.behavior,
    surge: config.surge,
  };
}
