// The autoscaler process: wires the ConfigMap source, the Lease, Prometheus, the scale subresource, Events and metrics
// around the reconciler, and runs a pass every pollIntervalSeconds while it leads.
import { KubeConfig } from '@kubernetes/client-node';
import { KubernetesLeaseStore, LeaderElector } from '@tormenta/lease';
import type { AutoscalerConfig } from './config/schema.ts';
import { loadSettings } from './config/settings.ts';
import { buildHttpServer } from './controller/http-server.ts';
import { createAutoscalerMetrics } from './controller/metrics.ts';
import { Reconciler } from './controller/reconciler.ts';
import { ConfigMapSource } from './kube/config-map-source.ts';
import { KubernetesEventSink } from './kube/events.ts';
import { ScaleTargets } from './kube/scale-targets.ts';
import { readMetric } from './prometheus/instant-query.ts';
import { renderStatus } from './controller/status-report.ts';
import type { Condition } from './controller/status-report.ts';
import { StatusConfigMap } from './kube/status-config-map.ts';
import { describeKubeError } from './kube/api-errors.ts';

const COMPONENT = 'tormenta-autoscaler';

function log(message: string, fields: Record<string, unknown> = {}): void {
  console.log(JSON.stringify({ time: new Date().toISOString(), component: COMPONENT, msg: message, ...fields }));
}

export async function runAutoscaler(): Promise<() => Promise<void>> {
  const settings = loadSettings();
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromDefault();
  const metrics = createAutoscalerMetrics();
  const events = new KubernetesEventSink(kubeConfig, COMPONENT, settings.identity);
  const scaleTargets = new ScaleTargets(kubeConfig);
  const configMapRef = { apiVersion: 'v1', kind: 'ConfigMap', namespace: settings.namespace, name: settings.configMap };
  // Lease reads and writes one at a time: a renewal racing a ledger save would lose the Lease to our own 409.
  let leaseQueue: Promise<unknown> = Promise.resolve();
  const serialized = <T>(operation: () => Promise<T>): Promise<T> => {
    const next = leaseQueue.then(operation, operation);
    leaseQueue = next.catch(() => undefined);
    return next;
  };
  const reconciler = new Reconciler({
    readMetric: (url, query) => readMetric(url, query, settings.prometheusTimeoutMs),
    readScale: (target) => scaleTargets.read(target),
    writeScale: (target, observed, replicas) => scaleTargets.write(target, observed, replicas),
    events,
    metrics,
    now: () => Date.now() / 1000,
    // The spend ledger rides in the Lease (its checkpoint annotation): written only by the holder, read by the next one.
    spendStore: {
      load: async () => elector.checkpoint,
      save: (text) => serialized(() => elector.saveCheckpoint(text)),
    },
    onSpendStoreError: (error) =>
      log('spend ledger not saved; kept in memory, saved again next pass', { error: describeKubeError(error) }),
    budgetObject: configMapRef,
  });

  let config: AutoscalerConfig | undefined;
  let configVersion: string | undefined;
  const source = new ConfigMapSource(kubeConfig, {
    namespace: settings.namespace,
    name: settings.configMap,
    key: settings.configMapKey,
    onUpdate: (update) => {
      if (update.config) {
        config = update.config;
        configVersion = update.resourceVersion;
        log('config loaded', { resourceVersion: update.resourceVersion, targets: config.targets.map((t) => t.name) });
        reschedule();
        return;
      }
      metrics.configRejected.inc();
      log('config rejected; keeping the last valid one', { reason: update.rejected, resourceVersion: update.resourceVersion });
      // Both replicas watch the ConfigMap; only the leader records the Event.
      if (elector.isLeader) {
        void events
          .record(configMapRef, 'ConfigRejected', `${update.rejected} (the last valid config stays in force)`)
          .catch(() => undefined);
      }
    },
    onWatchError: (error) => log('ConfigMap watch failed; retrying with backoff', { error: String(error) }),
  });

  const elector = new LeaderElector({
    store: new KubernetesLeaseStore(settings.lease, settings.namespace, kubeConfig),
    identity: settings.identity,
    durationMs: settings.leaseDurationMs,
    renewMs: Math.max(1_000, Math.floor(settings.leaseDurationMs / 3)),
    // A store error ends leadership (never two leaders); it must not leave a silent standby: log, count, not ready.
    onError: (error) => {
      metrics.leaseErrors.inc();
      const message = describeKubeError(error);
      if (leaseError === undefined)
        log('Lease store error: cannot lead until it answers', { lease: settings.lease, error: message });
      leaseError = message;
    },
  });
  let leaseError: string | undefined;
  const renewMs = Math.max(1_000, Math.floor(settings.leaseDurationMs / 3));
  let leading = false;
  let electionTimer: NodeJS.Timeout | undefined;
  let stopped = false;
  // Chained, not setInterval: on a slow API server two ticks must never overlap (the second would lose to our own write).
  async function electionRound(): Promise<void> {
    const errorBefore = leaseError;
    leaseError = undefined;
    const nowLeading = await serialized(() => elector.tick());
    if (errorBefore !== undefined && leaseError === undefined) log('Lease store answers again', { lease: settings.lease });
    metrics.leaseHealthy.set(leaseError === undefined ? 1 : 0);
    if (nowLeading !== leading) {
      log(nowLeading ? 'leading' : 'standing by', { identity: settings.identity });
      // History from an earlier term is stale: start from the current replicas, as on a fresh start.
      if (nowLeading) reconciler.reset();
    }
    leading = nowLeading;
    metrics.leader.set(leading ? 1 : 0);
    if (!stopped) electionTimer = setTimeout(() => void electionRound(), renewMs);
  }

  let passTimer: NodeJS.Timeout | undefined;
  let passInFlight: Promise<void> | undefined;
  async function pass(): Promise<void> {
    if (passInFlight !== undefined || config === undefined || !elector.isLeader) return;
    passInFlight = runPass(config).finally(() => (passInFlight = undefined));
    await passInFlight;
  }
  async function runPass(current: AutoscalerConfig): Promise<void> {
    try {
      const status = await reconciler.pass(current, { leading: () => elector.isLeader, dryRun: settings.dryRun });
      for (const entry of status) {
        if (entry.applied || entry.decision.reason !== 'WithinTolerance') {
          log('decision', {
            target: entry.target,
            rate: entry.observedRate,
            current: entry.currentReplicas,
            replicas: entry.decision.replicas,
            demand: entry.decision.demand,
            cap: entry.decision.cap,
            boundBy: entry.decision.boundBy,
            reason: entry.decision.reason,
            applied: entry.applied,
            dryRun: settings.dryRun,
          });
        }
      }
      if (elector.isLeader) await writeStatus(current);
    } catch (error) {
      log('pass failed', { error: error instanceof Error ? error.message : String(error) });
    }
  }
  // The status `kubectl describe configmap <name>-status` shows; conditions keep their transition times across passes.
  const statusConfigMap = new StatusConfigMap(kubeConfig, settings.namespace, `${settings.configMap}-status`);
  let conditions: ReadonlyMap<string, readonly Condition[]> = new Map();
  let statusFailing = false;
  async function writeStatus(current: AutoscalerConfig): Promise<void> {
    const report = renderStatus(
      reconciler.status,
      reconciler.budgetStatus,
      current.budget.currency,
      conditions,
      new Date().toISOString(),
    );
    conditions = report.conditions;
    try {
      await statusConfigMap.write(report.data);
      statusFailing = false;
    } catch (error) {
      metrics.statusWriteErrors.inc();
      if (!statusFailing) log('status ConfigMap not written; retried every pass', { error: describeKubeError(error) });
      statusFailing = true;
    }
  }
  function reschedule(): void {
    clearInterval(passTimer);
    if (config !== undefined) passTimer = setInterval(() => void pass(), config.pollIntervalSeconds * 1000);
  }

  const http = buildHttpServer({
    registry: metrics.registry,
    ready: () => {
      if (config === undefined) return { ready: false, reason: 'no valid config loaded yet' };
      if (leaseError !== undefined)
        return { ready: false, reason: `cannot lead: Lease ${settings.lease} unreachable: ${leaseError}` };
      return { ready: true };
    },
    status: () => ({
      leader: elector.isLeader,
      dryRun: settings.dryRun,
      configVersion,
      budget: reconciler.budgetStatus,
      targets: reconciler.status,
    }),
  });
  await http.listen({ host: settings.http.host, port: settings.http.port });
  source.start();
  void electionRound();
  log('started', {
    identity: settings.identity,
    dryRun: settings.dryRun,
    configMap: `${settings.namespace}/${settings.configMap}`,
  });

  return async () => {
    stopped = true;
    clearInterval(passTimer);
    clearTimeout(electionTimer);
    source.stop();
    // A pass still running could write after the release, when a standby may already lead.
    await passInFlight;
    await elector.release().catch(() => undefined);
    await http.close();
  };
}

if (import.meta.main) {
  runAutoscaler()
    .then((stop) => {
      for (const signal of ['SIGTERM', 'SIGINT'] as const) {
        process.once(signal, () => {
          log('stopping', { signal });
          void stop().then(() => process.exit(0));
        });
      }
    })
    .catch((error: unknown) => {
      console.error(`autoscaler: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    });
}
