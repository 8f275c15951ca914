// The whole pipeline on one machine, shared by `npm start`, the end-to-end suite and the end-to-end benchmark: dataset
// and topic, a producer fleet (cluster module) with a per-replica capacity, the consumer, and the autoscaler in local
// mode driving the fleet through the same decision code; every process's /metrics registered with Prometheus.
import { writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { HBaseRestClient } from '@tormenta/hbase';
import { parseAutoscalerConfig } from '@tormenta/autoscaler';
import { loadSinkFile } from '@tormenta/consumer';
import type { AutoscalerConfig } from '@tormenta/autoscaler';
import { loadDataset } from '../../../data/load.ts';
import { freePort } from '../../../test/stack/processes.ts';
import { waitFor } from './children.ts';
import { FleetAdminClient } from './fleet/admin-client.ts';
import type { FleetStatus } from './fleet/protocol.ts';
import { superviseChild } from './supervision/supervisor.ts';
import type { SupervisedChild, SupervisedStatus } from './supervision/supervisor.ts';

export interface StackEndpoints {
  kafkaBrokers: string[];
  hbaseRest: string;
  prometheus: string;
}

export interface PipelineOptions {
  endpoints: StackEndpoints;
  /** Writes a Prometheus file_sd target file; returns its path (test/stack/prometheus.ts registerScrapeTargets). */
  registerScrapeTargets: (job: string, targets: string[], labels: Record<string, string>) => string;
  /** The `namespace` label every series of this run carries, so dashboards' queries select it. */
  namespace: string;
  topic: string;
  /** The stream the producers carry; its topic must be `topic`. */
  streamFile: string;
  /** The sink the consumer writes (its group and cadence too); its topic must be `topic`, its tables `tables`. */
  sinkFile: string;
  partitions: number;
  /** The dataset's tables: loaded (PERSONA, EMPRESA) and created (the enriched one). */
  tables: { persona: string; empresa: string; enriched: string };
  ingestPort: number;
  stateDir: string;
  targetPerReplica: number;
  /** Records per second one fleet worker accepts; above targetPerReplica, as a Deployment keeps headroom. */
  capacityPerReplica: number;
  costPerReplicaHour: number;
  budgetPerHour: number;
  minReplicas: number;
  maxReplicas: number;
  pollIntervalSeconds: number;
  scaleDownStabilizationSeconds: number;
  /** Autoscaler log lines (decisions, events), parsed. */
  onAutoscalerLog?: (entry: Record<string, unknown>) => void;
}

export interface Pipeline {
  ingestUrl: string;
  fleet: FleetAdminClient;
  config: AutoscalerConfig;
  ports: { admin: number; consumer: number; autoscaler: number };
  /** Re-registers the fleet's worker /metrics with Prometheus when the set changed; returns the fleet's status. */
  refreshFleet(): Promise<FleetStatus>;
  /** The supervised processes (fleet, consumer, autoscaler): state, restarts, the last restart's reason. */
  processes(): SupervisedStatus[];
  stop(): Promise<void>;
}

export const TARGET_NAME = 'producer';

export function offeredQuery(namespace: string, window = '15s'): string {
  return `sum(rate(tormenta_ingest_records_received_total{namespace="${namespace}"}[${window}]))`;
}

export function autoscalerConfig(options: PipelineOptions): AutoscalerConfig {
  return parseAutoscalerConfig({
    budget: { currency: 'USD', maxPerHour: options.budgetPerHour },
    pollIntervalSeconds: options.pollIntervalSeconds,
    prometheus: { url: options.endpoints.prometheus },
    targets: [
      {
        name: TARGET_NAME,
        kind: 'Deployment',
        namespace: options.namespace,
        costPerReplicaHour: options.costPerReplicaHour,
        minReplicas: options.minReplicas,
        maxReplicas: options.maxReplicas,
        metric: { query: offeredQuery(options.namespace), targetPerReplica: options.targetPerReplica },
        behavior: {
          scaleUp: {
            stabilizationWindowSeconds: 0,
            policies: [{ type: 'Pods', value: 4, periodSeconds: options.pollIntervalSeconds }],
          },
          scaleDown: {
            stabilizationWindowSeconds: options.scaleDownStabilizationSeconds,
            policies: [{ type: 'Percent', value: 100, periodSeconds: options.pollIntervalSeconds }],
          },
        },
      },
    ],
  });
}

export async function startPipeline(options: PipelineOptions, log: (line: string) => void = () => {}): Promise<Pipeline> {
  const sink = loadSinkFile(options.sinkFile);
  if (sink.topic !== options.topic) {
    throw new Error(`sink file ${options.sinkFile} reads topic ${sink.topic}, not the pipeline's topic ${options.topic}`);
  }
  const config = autoscalerConfig(options);
  const runDir = join(options.stateDir, 'pipeline', options.namespace);
  mkdirSync(runDir, { recursive: true });
  const configFile = join(runDir, 'autoscaler.json');
  writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`);
  const logDir = join(options.stateDir, 'logs', 'pipeline', options.namespace);
  const hbase = new HBaseRestClient({ url: options.endpoints.hbaseRest });
  const loaded = await loadDataset({
    hbase,
    kafkaBrokers: options.endpoints.kafkaBrokers,
    partitions: options.partitions,
    topic: options.topic,
    tables: options.tables,
  });
  log(
    `dataset: ${options.topic} ready; ${loaded.personas} PERSONA and ${loaded.empresas} EMPRESA rows in ${options.tables.persona}/${options.tables.empresa}`,
  );

  const ports = { admin: await freePort(), consumer: await freePort(), autoscaler: await freePort() };
  const children: SupervisedChild[] = [];
  // The fleet's replicas outlive its primary, as a Deployment's spec outlives its pods: a restarted fleet starts at them.
  let fleetReplicas = options.minReplicas;
  const onExit = (status: SupervisedStatus, delayMs: number): void =>
    log(`supervisor: ${status.name} ${status.lastRestart?.reason ?? 'exited'}; restart ${status.restarts} in ${delayMs / 1000}s`);
  const targetFiles: string[] = [];
  const register = (job: string, targets: string[]): void => {
    targetFiles.push(
      options.registerScrapeTargets(`${options.namespace}-${job}`, targets, { namespace: options.namespace, component: job }),
    );
  };
  const src = import.meta.dirname;
  const stop = async (): Promise<void> => {
    // The autoscaler first, so it does not scale a fleet that is going away; the consumer last, to drain what was acked.
    for (const child of [...children].reverse()) await child.stop();
    for (const file of targetFiles) rmSync(file, { force: true });
  };
  try {
    const fleet = superviseChild(
      'fleet',
      join(src, 'fleet', 'primary.ts'),
      () => ({
        FLEET_REPLICAS: String(fleetReplicas),
        FLEET_MAX_REPLICAS: String(options.maxReplicas),
        FLEET_ADMIN_PORT: String(ports.admin),
        PRODUCER_HOST: '127.0.0.1',
        PRODUCER_PORT: String(options.ingestPort),
        PRODUCER_KAFKA_BROKERS: options.endpoints.kafkaBrokers.join(','),
        PRODUCER_STREAM_FILE: options.streamFile,
        PRODUCER_TOPIC_PARTITIONS: String(options.partitions),
        PRODUCER_MAX_RECORDS_PER_SECOND: String(options.capacityPerReplica),
        PRODUCER_LEASE_MODE: 'none',
        PRODUCER_LOG_LEVEL: 'warn',
        PRODUCER_SHUTDOWN_GRACE_MS: '10000',
      }),
      logDir,
      undefined,
      onExit,
    );
    children.push(fleet);
    const admin = new FleetAdminClient(`http://127.0.0.1:${ports.admin}`);
    await waitFor(
      fleet.current,
      'serving its first producer',
      async () => (await admin.read()).readyReplicas >= Math.max(1, options.minReplicas),
    );

    const consumer = superviseChild(
      'consumer',
      join(src, '..', '..', 'consumer', 'src', 'main.ts'),
      {
        CONSUMER_KAFKA_BROKERS: options.endpoints.kafkaBrokers.join(','),
        CONSUMER_KAFKA_CLIENT_ID: `tormenta-consumer-${options.namespace}`,
        CONSUMER_SINK_FILE: options.sinkFile,
        CONSUMER_HBASE_REST_URL: options.endpoints.hbaseRest,
        CONSUMER_HTTP_HOST: '127.0.0.1',
        CONSUMER_HTTP_PORT: String(ports.consumer),
      },
      logDir,
      undefined,
      onExit,
    );
    children.push(consumer);
    await waitFor(consumer.current, 'ready', async () => (await fetch(`http://127.0.0.1:${ports.consumer}/readyz`)).ok);
    register('consumer', [`127.0.0.1:${ports.consumer}`]);

    const autoscaler = superviseChild(
      'autoscaler',
      join(src, 'autoscaler', 'main.ts'),
      {
        LOCAL_AUTOSCALER_CONFIG_FILE: configFile,
        LOCAL_AUTOSCALER_FLEETS: `${TARGET_NAME}=http://127.0.0.1:${ports.admin}`,
        LOCAL_AUTOSCALER_HTTP_PORT: String(ports.autoscaler),
      },
      logDir,
      (line) => {
        if (!line.startsWith('{')) return;
        try {
          options.onAutoscalerLog?.(JSON.parse(line) as Record<string, unknown>);
        } catch {
          // not one of its JSON lines
        }
      },
      onExit,
    );
    children.push(autoscaler);
    await waitFor(
      autoscaler.current,
      'serving /metrics',
      async () => (await fetch(`http://127.0.0.1:${ports.autoscaler}/healthz`)).ok,
    );
    register('autoscaler', [`127.0.0.1:${ports.autoscaler}`]);

    let registered = '';
    const refreshFleet = async (): Promise<FleetStatus> => {
      const status = await admin.read();
      fleetReplicas = status.replicas;
      const targets = status.workers.flatMap((worker) => (worker.metricsUrl === null ? [] : [worker.metricsUrl])).sort();
      if (targets.join(',') !== registered) {
        registered = targets.join(',');
        register('producer', targets);
      }
      return status;
    };
    await refreshFleet();
    // From here on a process that exits is restarted (before, start-up fails fast on a broken one).
    for (const child of children) child.supervise();
    log(
      `pipeline: fleet admin http://127.0.0.1:${ports.admin}/replicas · consumer :${ports.consumer} · autoscaler :${ports.autoscaler} · logs ${logDir}`,
    );
    const processes = (): SupervisedStatus[] => children.map((child) => child.status);
    return { ingestUrl: `http://127.0.0.1:${options.ingestPort}`, fleet: admin, config, ports, refreshFleet, processes, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
