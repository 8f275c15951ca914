// The autoscaler without Kubernetes: the same Reconciler, policy, fallback and metrics, with the scale port pointed at
// the producer fleets' admin endpoints, the config from a JSON file (the ConfigMap's schema), Events as log lines.
import { readFileSync } from 'node:fs';
import type { V1Scale } from '@kubernetes/client-node';
import { parseAutoscalerConfig, buildHttpServer, createAutoscalerMetrics, Reconciler, readMetric } from '@tormenta/autoscaler';
import type { EventSink, TargetRef } from '@tormenta/autoscaler';
import { FleetAdminClient } from '../fleet/admin-client.ts';
import { loadLocalAutoscalerSettings } from './settings.ts';

function log(msg: string, fields: Record<string, unknown> = {}): void {
  console.log(JSON.stringify({ time: new Date().toISOString(), component: 'tormenta-autoscaler-local', msg, ...fields }));
}

const settings = loadLocalAutoscalerSettings();
const config = parseAutoscalerConfig(JSON.parse(readFileSync(settings.configFile, 'utf8')));
const fleets = new Map<string, FleetAdminClient>();
for (const target of config.targets) {
  const url = settings.fleets.get(target.name);
  if (url === undefined) throw new Error(`no fleet admin URL for target ${target.name} in LOCAL_AUTOSCALER_FLEETS`);
  fleets.set(target.name, new FleetAdminClient(url));
}
const fleetOf = (target: TargetRef): FleetAdminClient => fleets.get(target.name)!;

const events: EventSink = {
  async record(object, reason, message) {
    log('event', { reason, object: `${object.kind}/${object.name}`, message });
  },
};
const metrics = createAutoscalerMetrics();
const reconciler = new Reconciler({
  readMetric: (url, query) => readMetric(url, query, settings.prometheusTimeoutMs),
  readScale: async (target) => ({
    replicas: (await fleetOf(target).read()).replicas,
    pausedByAnnotation: false,
    scale: {} as V1Scale,
  }),
  writeScale: async (target, _observed, replicas) => void (await fleetOf(target).write(replicas)),
  events,
  metrics,
  now: () => Date.now() / 1000,
});
metrics.leader.set(1);

let passing = false;
async function pass(): Promise<void> {
  if (passing) return;
  passing = true;
  try {
    for (const entry of await reconciler.pass(config, { leading: () => true, dryRun: false })) {
      const { decision } = entry;
      log('decision', {
        target: entry.target,
        rate: entry.observedRate,
        current: entry.currentReplicas,
        replicas: decision.replicas,
        demand: decision.demand,
        cap: decision.cap,
        boundBy: decision.boundBy,
        reason: decision.reason,
        applied: entry.applied,
      });
    }
  } catch (error) {
    log('pass failed', { error: error instanceof Error ? error.message : String(error) });
  } finally {
    passing = false;
  }
}

const http = buildHttpServer({
  registry: metrics.registry,
  ready: () => ({ ready: true }),
  status: () => ({
    leader: true,
    dryRun: false,
    configVersion: settings.configFile,
    targets: reconciler.status,
  }),
});
await http.listen({ host: settings.httpHost, port: settings.httpPort });
const timer = setInterval(() => void pass(), config.pollIntervalSeconds * 1000);
log('started', {
  targets: config.targets.map((target) => target.name),
  budget: config.budget,
  pollIntervalSeconds: config.pollIntervalSeconds,
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    clearInterval(timer);
    void http.close().then(() => process.exit(0));
  });
}
