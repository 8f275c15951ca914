// The autoscaler's own metrics (ARCHITECTURE §7): what it saw, what it wanted, what the budget allowed, what it applied.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export function createAutoscalerMetrics(registry = new Registry()) {
  const gauge = (name: string, help: string) =>
    new Gauge({ name: `tormenta_autoscaler_${name}`, help, labelNames: ['target'], registers: [registry] });
  const windowGauge = (name: string, help: string) =>
    new Gauge({ name: `tormenta_autoscaler_${name}`, help, labelNames: ['window'], registers: [registry] });
  return {
    registry,
    demand: gauge('demand_replicas', 'Replicas the observed rate asks for: ceil(rate / targetPerReplica)'),
    desired: gauge('desired_replicas', 'Replicas decided after tolerance, min/max, behavior, surge guard and budget'),
    applied: gauge('applied_replicas', 'Replicas the scale subresource holds after this pass'),
    cap: gauge('budget_cap_replicas', "Replicas this target's share of the budget pays for (+Inf when it costs nothing)"),
    demandOverCap: gauge('demand_over_cap_replicas', 'Replicas demanded beyond the budget cap: the load left unserved'),
    spend: gauge('spend_per_hour', 'What the applied replicas of this target cost per hour'),
    costPerReplica: gauge('cost_per_replica_hour', 'Cost of one replica-hour: the override, or requests × prices'),
    budget: gauge('budget_per_hour', 'The budget pool per hour shared by all targets'),
    rate: gauge('observed_rate', 'The metric value the decision used'),
    windowSpend: windowGauge('window_spend', 'Spent so far in the current UTC hour, day or month, all targets'),
    windowProjected: windowGauge('window_spend_projected', 'Spend at the end of the window if what runs now keeps running'),
    windowBudget: windowGauge('window_budget', 'The budget of the window (hour: maxPerHour; day, month when set)'),
    targetWindowSpend: new Gauge({
      name: 'tormenta_autoscaler_target_window_spend',
      help: 'Spent so far in the current window by one target',
      labelNames: ['target', 'window'],
      registers: [registry],
    }),
    effectiveBudget: new Gauge({
      name: 'tormenta_autoscaler_effective_budget_per_hour',
      help: 'The hourly cap this pass: maxPerHour, tightened so the day and month budgets hold',
      registers: [registry],
    }),
    spendStoreErrors: new Counter({
      name: 'tormenta_autoscaler_spend_store_errors_total',
      help: 'Failed saves of the spend ledger (kept in memory and saved again next pass)',
      registers: [registry],
    }),
    decisions: new Counter({
      name: 'tormenta_autoscaler_decisions_total',
      help: 'Decisions by their reason',
      labelNames: ['target', 'reason'],
      registers: [registry],
    }),
    metricErrors: new Counter({
      name: 'tormenta_autoscaler_metric_errors_total',
      help: 'Failed metric readings (error, empty, NaN, infinite, negative)',
      labelNames: ['target', 'failure'],
      registers: [registry],
    }),
    scaleReadErrors: new Counter({
      name: 'tormenta_autoscaler_scale_read_errors_total',
      help: 'Failed reads of a target scale subresource (the target is then held at its last known replicas)',
      labelNames: ['target'],
      registers: [registry],
    }),
    loopDuration: new Histogram({
      name: 'tormenta_autoscaler_loop_duration_seconds',
      help: 'Duration of one reconcile pass over every target',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    leader: new Gauge({
      name: 'tormenta_autoscaler_leader',
      help: '1 while this replica holds the Lease',
      registers: [registry],
    }),
    leaseErrors: new Counter({
      name: 'tormenta_autoscaler_lease_errors_total',
      help: 'Lease reads or writes that failed (this replica does not lead until one succeeds)',
      registers: [registry],
    }),
    leaseHealthy: new Gauge({
      name: 'tormenta_autoscaler_lease_healthy',
      help: '1 when the last election round reached the Lease, 0 when it failed (the replica can then never lead)',
      registers: [registry],
    }),
    statusWriteErrors: new Counter({
      name: 'tormenta_autoscaler_status_write_errors_total',
      help: 'Failed writes of the status ConfigMap (kubectl describe configmap <autoscaler>-status)',
      registers: [registry],
    }),
    configRejected: new Counter({
      name: 'tormenta_autoscaler_config_rejected_total',
      help: 'ConfigMap edits rejected as invalid (the last valid config stays in force)',
      registers: [registry],
    }),
  };
}

export type AutoscalerMetrics = ReturnType<typeof createAutoscalerMetrics>;
