// Kubernetes Events on the scaled workloads, with the decision's constant reasons (ScaledUp, BudgetCapReached, …).
// A reason is recorded when it starts, not on every pass, so a target held at its cap for an hour gives one Event.
import { CoreV1Api } from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';

export type EventReason =
  | 'ScaledUp'
  | 'ScaledDown'
  | 'BudgetCapReached'
  | 'BudgetBelowMinimum'
  | 'SurgeLimited'
  | 'MetricsUnavailable'
  | 'ConfigRejected'
  | 'ScaleFailed'
  | 'TargetUnreadable'
  | 'CostUnknown'
  | 'SpendProjectedHigh'
  | 'SpendProjectedOverBudget';

export const WARNING_REASONS: ReadonlySet<EventReason> = new Set([
  'BudgetCapReached',
  'BudgetBelowMinimum',
  'SurgeLimited',
  'MetricsUnavailable',
  'ConfigRejected',
  'ScaleFailed',
  'TargetUnreadable',
  'CostUnknown',
  'SpendProjectedHigh',
  'SpendProjectedOverBudget',
]);

/** The object an Event is about: a scaled workload, or the autoscaler's ConfigMap. */
export interface InvolvedObject {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

export interface EventSink {
  record(object: InvolvedObject, reason: EventReason, message: string): Promise<void>;
}

export class KubernetesEventSink implements EventSink {
  readonly #core: CoreV1Api;
  readonly #component: string;
  readonly #instance: string;

  constructor(kubeConfig: KubeConfig, component: string, instance: string) {
    this.#core = kubeConfig.makeApiClient(CoreV1Api);
    this.#component = component;
    this.#instance = instance;
  }

  async record(object: InvolvedObject, reason: EventReason, message: string): Promise<void> {
    const now = new Date();
    await this.#core.createNamespacedEvent({
      namespace: object.namespace,
      body: {
        metadata: { generateName: `${object.name}.`, namespace: object.namespace },
        involvedObject: { ...object },
        type: WARNING_REASONS.has(reason) ? 'Warning' : 'Normal',
        reason,
        message,
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
        source: { component: this.#component },
        reportingComponent: this.#component,
        reportingInstance: this.#instance,
      },
    });
  }
}
