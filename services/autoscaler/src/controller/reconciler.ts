// One reconcile pass over every target: observe (metric, scale) → decide (the pure policy) → act (write the scale
// subresource) → record (history, Events, metrics, a status for `explain`). It holds the per-target memory between
// passes; the caller decides when a pass runs (only while leading) and whether it may act (not in dry-run).
import { decidePass } from '../policy/decide.ts';
import { initialHistory, recordDecision } from '../policy/history.ts';
import type { Decision, DecisionHistory, ObservedTarget, TargetPolicySpec } from '../policy/types.ts';
import { applyFallback, INITIAL_FALLBACK_STATE, READING_FAILURES } from '../fallback/metric-fallback.ts';
import type { FallbackState, MetricReading } from '../fallback/metric-fallback.ts';
import { toTargetPolicySpec } from '../config/schema.ts';
import type { AutoscalerConfig, AutoscalerTargetConfig } from '../config/schema.ts';
import type { ExplainInputs } from '../explain/explain.ts';
import type { EventReason, EventSink } from '../kube/events.ts';
import type { ObservedScale, TargetRef } from '../kube/scale-targets.ts';
import type { ReplicaCost } from '../cost/replica-cost.ts';
import { readOpenCostPrices } from '../prometheus/opencost.ts';
import { costOfTarget } from './target-cost.ts';
import type { KnownCost } from './target-cost.ts';
import type { AutoscalerMetrics } from './metrics.ts';
import { SpendTracker } from './spend-tracker.ts';
import type { BudgetStatus, SpendStore } from './spend-tracker.ts';
import type { InvolvedObject } from '../kube/events.ts';

export interface ReconcilerPorts {
  readMetric: (prometheusUrl: string, query: string) => Promise<MetricReading>;
  readScale: (target: TargetRef) => Promise<ObservedScale>;
  writeScale: (target: TargetRef, observed: ObservedScale, replicas: number) => Promise<void>;
  events: EventSink;
  metrics: AutoscalerMetrics;
  /** Seconds. */
  now: () => number;
  /** Where the spend ledger persists (the Lease in the cluster); without it, it lives in memory only. */
  spendStore?: SpendStore;
  onSpendStoreError?: (error: unknown) => void;
  /** What budget-window Events are about (the autoscaler's ConfigMap); the first target when absent. */
  budgetObject?: InvolvedObject;
}

interface TargetMemory {
  history: DecisionHistory;
  fallback: FallbackState;
  lastReason: string | undefined;
  lastKnownReplicas: number | undefined;
  /** Set while writes keep failing, so ScaleFailed is recorded once per episode, not every pass. */
  failingWrites: boolean;
  lastCost: KnownCost | undefined;
  /** Set while the cost cannot be derived, so CostUnknown is recorded once per episode. */
  costUnknown: boolean;
}

/** Checked at the moment of acting, not only when the pass starts. */
export interface PassPermission {
  leading: () => boolean;
  dryRun: boolean;
}

export interface TargetStatus {
  target: string;
  /** What this decision was made from, for `explain --live`. */
  inputs: ExplainInputs;
  at: string;
  observedRate: number | null;
  currentReplicas: number;
  decision: Decision;
  applied: boolean;
  /** The cost per replica-hour this pass and how it was derived, or why it could not be. */
  cost: ReplicaCost;
  /** What the replicas it runs cost per hour, and what it spent in the current UTC hour, day and month. */
  spend: { perHour: number; hour: number; day: number; month: number };
  error?: string;
}

/** Reasons worth an Event when a target enters them (not on every pass it stays in them). */
const REASON_EVENTS: Partial<Record<string, EventReason>> = {
  BudgetCapReached: 'BudgetCapReached',
  BudgetBelowMinimum: 'BudgetBelowMinimum',
  SurgeLimited: 'SurgeLimited',
  MetricsUnavailable: 'MetricsUnavailable',
};

// With no cost known the spec still needs a number; nothing is scaled in such a pass, so it is never charged.
const UNKNOWN_COST = 0;

const refOf = (target: AutoscalerTargetConfig): TargetRef => ({
  kind: target.kind,
  namespace: target.namespace,
  name: target.name,
});

const eventObjectOf = (target: AutoscalerTargetConfig): InvolvedObject => ({
  apiVersion: 'apps/v1',
  kind: target.kind,
  namespace: target.namespace,
  name: target.name,
});

export class Reconciler {
  readonly #ports: ReconcilerPorts;
  readonly #memory = new Map<string, TargetMemory>();
  readonly #spend: SpendTracker;
  #status: TargetStatus[] = [];

  constructor(ports: ReconcilerPorts) {
    this.#ports = ports;
    this.#spend = new SpendTracker(ports.spendStore, ports.metrics);
  }

  get status(): readonly TargetStatus[] {
    return this.#status;
  }

  get budgetStatus(): BudgetStatus | undefined {
    return this.#spend.status;
  }

  /** Forgets every target's history and the ledger in memory, e.g. when this replica becomes leader again. */
  reset(): void {
    this.#memory.clear();
    this.#spend.reset();
  }

  async pass(config: AutoscalerConfig, permission: PassPermission): Promise<readonly TargetStatus[]> {
    const { metrics } = this.#ports;
    const endTimer = metrics.loopDuration.startTimer();
    const now = this.#ports.now();
    const opencost = config.prices?.opencost;
    const [observed, livePrices] = await Promise.all([
      Promise.all(config.targets.map((target) => this.#observe(config, target, now))),
      opencost === undefined ? undefined : readOpenCostPrices(this.#ports.readMetric, config.prometheus.url, opencost),
    ]);
    const costs = observed.map((entry) => {
      const cost = costOfTarget(config, entry.target, entry.scale?.podTemplate, livePrices, entry.memory.lastCost);
      if (cost.ok) entry.memory.lastCost = cost;
      return cost;
    });
    // A target whose scale or cost could never be read has an unknown spend: with it in the pool at 0, the others could
    // take its share and exceed the budget, so nothing is scaled until every target has been read and priced once.
    const spendKnown = observed.every((entry) => entry.observedTarget !== undefined) && costs.every((cost) => cost.ok);
    const entries = observed.map((entry) => ({
      ...entry,
      observedTarget: entry.observedTarget ?? { currentReplicas: 0, metric: entry.verdict, paused: true },
    }));
    const specs = entries.map(({ target, partitions }, index) => {
      const cost = costs[index]!;
      const spec = toTargetPolicySpec(config, target, cost.ok ? cost.costPerReplicaHour : UNKNOWN_COST);
      if (partitions === undefined) return spec;
      // At most one replica per partition, never below minReplicas.
      return { ...spec, maxReplicas: Math.max(spec.minReplicas, Math.min(spec.maxReplicas, partitions)) };
    });
    // The minimums (and what paused targets run) are the floor a window's budget keeps paid until it ends.
    const floorPerHour = entries.reduce(
      (sum, { observedTarget }, index) =>
        sum +
        (observedTarget.paused === true ? observedTarget.currentReplicas : specs[index]!.minReplicas) *
          specs[index]!.costPerReplicaHour,
      0,
    );
    const effective = await this.#spend.begin(config, now, floorPerHour);
    const inputs = entries.map(({ target, observedTarget, memory }, index) => ({
      // The ledger remembers (across restarts and leaders) which targets this controller itself put at 0.
      observed: { ...observedTarget, zeroedByController: this.#spend.zeroedByController(target.name) },
      spec: specs[index]!,
      history: memory.history,
    }));
    const budgetDerivation =
      effective.boundBy === 'hour'
        ? `maxPerHour ${config.budget.maxPerHour}`
        : `maxPerHour ${config.budget.maxPerHour} tightened to ${effective.perHour} so the ${effective.boundBy}'s budget holds`;
    const { decisions } = decidePass(inputs, effective.perHour, now);

    const status = await Promise.all(
      entries.map(async (entry, index) => {
        const decision = decisions[index]!;
        const result =
          entry.scale === undefined || !spendKnown
            ? { applied: false }
            : await this.#act(entry.target, entry.scale, decision, permission);
        const spec = inputs[index]!.spec;
        if (entry.scale !== undefined) {
          entry.memory.history = recordDecision(entry.memory.history, entry.observedTarget, decision, result.applied, spec, now);
        }
        const metric = entry.observedTarget.metric;
        const observedRate = metric.kind === 'rate' ? metric.rate : null;
        if (entry.readError !== undefined && entry.memory.lastReason !== 'TargetUnreadable') {
          await this.#event(entry.target, 'TargetUnreadable', `${entry.readError}; held at its last known replicas`, permission);
        }
        const cost = costs[index]!;
        if (!cost.ok && !entry.memory.costUnknown) {
          await this.#event(entry.target, 'CostUnknown', `${cost.problem}; nothing is scaled until it is known`, permission);
        }
        entry.memory.costUnknown = !cost.ok;
        await this.#record(
          config,
          entry.target,
          decision,
          result.applied,
          entry.enteredFailStatic,
          observedRate,
          spec,
          permission,
        );
        if (entry.readError !== undefined) entry.memory.lastReason = 'TargetUnreadable';
        const error =
          'error' in result ? result.error : (entry.readError ?? (cost.ok ? undefined : `cost unknown: ${cost.problem}`));
        return {
          target: entry.target.name,
          inputs: {
            observed: entry.observedTarget,
            spec,
            history: inputs[index]!.history,
            budgetPerHour: effective.perHour,
            budgetDerivation,
            currency: config.budget.currency,
            now,
            origin: `live: ${entry.target.namespace}/${entry.target.name}, pass at ${new Date(now * 1000).toISOString()}`,
            costDerivation: cost.ok ? cost.derivation : `unknown: ${cost.problem}`,
          },
          at: new Date(now * 1000).toISOString(),
          observedRate,
          currentReplicas: decision.currentReplicas,
          decision,
          applied: result.applied,
          cost,
          spend: { perHour: 0, hour: 0, day: 0, month: 0 },
          ...(error === undefined ? {} : { error }),
        };
      }),
    );
    const running = Object.fromEntries(
      status.map((entry, index) => [
        entry.target,
        {
          replicas: entry.applied ? entry.decision.replicas : entry.decision.currentReplicas,
          costPerReplicaHour: inputs[index]!.spec.costPerReplicaHour,
          ...(entry.decision.replicas === 0 && (entry.applied || inputs[index]!.observed.zeroedByController)
            ? { zeroedByController: true as const }
            : {}),
        },
      ]),
    );
    const announcements = await this.#spend.end(config, now, effective, running, (error) =>
      this.#ports.onSpendStoreError?.(error),
    );
    for (const announcement of announcements) {
      const reason = announcement.level >= 100 ? 'SpendProjectedOverBudget' : 'SpendProjectedHigh';
      const involved = this.#ports.budgetObject ?? eventObjectOf(config.targets[0]!);
      if (permission.leading()) await this.#ports.events.record(involved, reason, announcement.message).catch(() => undefined);
    }
    for (const entry of status) {
      const replica = running[entry.target]!;
      entry.spend = { perHour: replica.replicas * replica.costPerReplicaHour, ...this.#spend.targetSpend(entry.target) };
    }
    this.#forgetRemovedTargets(config);
    endTimer();
    this.#status = status;
    return status;
  }

  async #observe(config: AutoscalerConfig, target: AutoscalerTargetConfig, now: number) {
    const memory = this.#memoryOf(target.name);
    const partitionsQuery = target.metric.partitionsQuery;
    const [scaleOrError, reading, partitionsReading] = await Promise.all([
      this.#ports.readScale(refOf(target)).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))),
      this.#ports.readMetric(config.prometheus.url, target.metric.query),
      partitionsQuery === undefined ? undefined : this.#ports.readMetric(config.prometheus.url, partitionsQuery),
    ]);
    // An unreadable partition count leaves maxReplicas as configured (the budget still bounds the target).
    const partitions =
      partitionsReading?.kind === 'value' && Number.isSafeInteger(partitionsReading.value) && partitionsReading.value >= 1
        ? partitionsReading.value
        : undefined;
    const outcome = applyFallback(memory.fallback, reading, config, now);
    memory.fallback = outcome.state;
    if (outcome.failure !== null) this.#ports.metrics.metricErrors.inc({ target: target.name, failure: outcome.failure });
    const base = { target, memory, verdict: outcome.verdict, enteredFailStatic: outcome.enteredFailStatic, partitions };

    if (scaleOrError instanceof Error) {
      this.#ports.metrics.scaleReadErrors.inc({ target: target.name });
      const readError = `could not read the scale of ${target.kind} ${target.namespace}/${target.name}: ${scaleOrError.message}`;
      // Still in the budget pool, charged for what it last ran and left alone (like a paused target).
      const observedTarget: ObservedTarget | undefined =
        memory.lastKnownReplicas === undefined
          ? undefined
          : { currentReplicas: memory.lastKnownReplicas, metric: outcome.verdict, paused: true };
      return { ...base, scale: undefined, observedTarget, readError };
    }
    const scale = scaleOrError;
    memory.lastKnownReplicas = scale.replicas;
    if (memory.history.recommendations.length === 0 && memory.history.rates.length === 0) {
      memory.history = initialHistory(scale.replicas, now);
    }
    const observedTarget: ObservedTarget = {
      currentReplicas: scale.replicas,
      metric: outcome.verdict,
      paused: target.paused || scale.pausedByAnnotation,
    };
    return { ...base, scale, observedTarget, readError: undefined };
  }

  async #act(target: AutoscalerTargetConfig, scale: ObservedScale, decision: Decision, permission: PassPermission) {
    if (decision.boundBy === 'paused' || decision.replicas === decision.currentReplicas) return { applied: false };
    // Checked right before the write: leadership may have ended while this pass waited on Prometheus or the API server.
    if (permission.dryRun || !permission.leading()) return { applied: false };
    const memory = this.#memoryOf(target.name);
    try {
      await this.#ports.writeScale(refOf(target), scale, decision.replicas);
      memory.failingWrites = false;
      return { applied: true };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (!memory.failingWrites) {
        await this.#event(target, 'ScaleFailed', `could not set replicas to ${decision.replicas}: ${message}`, permission);
      }
      memory.failingWrites = true;
      return { applied: false, error: message };
    }
  }

  async #record(
    config: AutoscalerConfig,
    target: AutoscalerTargetConfig,
    decision: Decision,
    applied: boolean,
    enteredFailStatic: boolean,
    observedRate: number | null,
    spec: TargetPolicySpec,
    permission: PassPermission,
  ): Promise<void> {
    const { metrics } = this.#ports;
    const labels = { target: target.name };
    const running = applied ? decision.replicas : decision.currentReplicas;
    metrics.demand.set(labels, decision.demand ?? Number.NaN);
    metrics.desired.set(labels, decision.replicas);
    metrics.applied.set(labels, running);
    metrics.cap.set(labels, decision.cap);
    metrics.demandOverCap.set(labels, Math.max(0, (decision.demand ?? 0) - decision.cap));
    metrics.spend.set(labels, running * spec.costPerReplicaHour);
    metrics.costPerReplica.set(labels, spec.costPerReplicaHour);
    metrics.budget.set(labels, config.budget.maxPerHour);
    if (observedRate !== null) metrics.rate.set(labels, observedRate);
    metrics.decisions.inc({ ...labels, reason: decision.reason });

    const memory = this.#memoryOf(target.name);
    if (applied) {
      const direction: EventReason = decision.replicas > decision.currentReplicas ? 'ScaledUp' : 'ScaledDown';
      await this.#event(
        target,
        direction,
        `${decision.currentReplicas} → ${decision.replicas} replicas (${decision.reason}, bound by ${decision.boundBy}); demand ${decision.demand ?? 'unknown'}, cap ${decision.cap}`,
        permission,
      );
    }
    const reasonEvent = REASON_EVENTS[decision.reason];
    if (reasonEvent !== undefined && (memory.lastReason !== decision.reason || enteredFailStatic)) {
      await this.#event(target, reasonEvent, describe(decision, config), permission);
    }
    memory.lastReason = decision.reason;
  }

  async #event(target: AutoscalerTargetConfig, reason: EventReason, message: string, permission: PassPermission): Promise<void> {
    // Only the leader speaks for the controller; a replica that lost the Lease mid-pass stays silent.
    if (!permission.leading()) return;
    const involved = eventObjectOf(target);
    // Events are best effort: failing to record one must not stop scaling.
    await this.#ports.events.record(involved, reason, message).catch(() => undefined);
  }

  #memoryOf(name: string): TargetMemory {
    let memory = this.#memory.get(name);
    if (memory === undefined) {
      memory = {
        history: { recommendations: [], scaleEvents: [], rates: [] },
        fallback: INITIAL_FALLBACK_STATE,
        lastReason: undefined,
        lastKnownReplicas: undefined,
        failingWrites: false,
        lastCost: undefined,
        costUnknown: false,
      };
      this.#memory.set(name, memory);
      // Zero series from the start, so a dashboard shows "no errors" rather than "no data".
      for (const failure of READING_FAILURES) this.#ports.metrics.metricErrors.inc({ target: name, failure }, 0);
    }
    return memory;
  }

  #forgetRemovedTargets(config: AutoscalerConfig): void {
    const names = new Set(config.targets.map((target) => target.name));
    for (const name of this.#memory.keys()) if (!names.has(name)) this.#memory.delete(name);
  }
}

function describe(decision: Decision, config: AutoscalerConfig): string {
  switch (decision.reason) {
    case 'BudgetCapReached':
      return `demand ${decision.demand} replicas, budget allows ${decision.cap} (${config.budget.maxPerHour} ${config.budget.currency}/h); running ${decision.replicas}, the rest of the load is not served`;
    case 'BudgetBelowMinimum':
      return `budget ${config.budget.maxPerHour} ${config.budget.currency}/h does not pay for the minimum replicas; cut to ${decision.replicas}`;
    case 'SurgeLimited':
      return `rate jumped past the surge guard; scale-up limited to ${decision.replicas} (demand ${decision.demand})`;
    case 'MetricsUnavailable':
      return `metric unreadable for ${config.failStaticAfter}+ passes; holding ${decision.replicas} replicas`;
    default:
      return `${decision.reason}: ${decision.replicas} replicas`;
  }
}
