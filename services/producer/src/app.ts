// Wires the producer from its configuration: Kafka writer, health probe, ingest path, HTTP server and, for pull sources,
// the leader-elected runner; and takes it apart again in the order a graceful shutdown needs.
import { createMessageWriter, KafkaWriteError, ensureTopic, kafkaReachable } from '@tormenta/kafka';
import type { MessageWriter, OutgoingMessage } from '@tormenta/kafka';
import type { FastifyInstance } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ProducerConfig } from './config.ts';
import { Ingestor } from './ingest.ts';
import type { LeaderElector, LeaseStore } from '@tormenta/lease';
import { createMetrics } from './metrics.ts';
import type { ProducerMetrics } from './metrics.ts';
import { runPullSource } from './pull-runner.ts';
import { runStreamingSource } from './streaming-runner.ts';
import { buildServer } from './server.ts';
import type { ClientSource } from './sources/index.ts';
import { compileStream } from './streams/convert.ts';

export interface ProducerApp {
  server: FastifyInstance;
  metrics: ProducerMetrics;
  /** Listens; returns the address (e.g. http://127.0.0.1:3000). */
  start(): Promise<string>;
  /** readyz false, stop reading, finish in-flight requests, flush the writer. */
  shutdown(): Promise<void>;
}

export interface ProducerDependencies {
  writer?: MessageWriter;
  source?: ClientSource;
  leaseStore?: LeaseStore;
}

export async function createProducerApp(config: ProducerConfig, dependencies: ProducerDependencies = {}): Promise<ProducerApp> {
  const connection = config.kafka;
  const state = { kafkaUp: false, topicReady: false, draining: false, sourceStopped: undefined as string | undefined };
  const metrics = createMetrics();
  const { stream: spec } = config;
  const stream = await compileStream(spec);
  const kafkaWriter =
    dependencies.writer ??
    createMessageWriter({
      ...connection,
      topic: spec.topic,
      compression: config.compression,
      maxBatchMessages: config.kafkaMaxBatch,
      producers: config.kafkaProducers,
      sendTimeoutMs: config.kafkaSendTimeoutMs,
    });
  // The first unreachable-broker failure turns the pod unready and sheds load at once; the probe turns it back.
  const writer: MessageWriter = {
    get available() {
      return kafkaWriter.available;
    },
    close: () => kafkaWriter.close(),
    async write(messages: OutgoingMessage[]) {
      try {
        await kafkaWriter.write(messages);
      } catch (error) {
        if (error instanceof KafkaWriteError && error.code === 'TORMENTA_KAFKA_UNAVAILABLE') state.kafkaUp = false;
        throw error;
      }
    },
  };
  const ingestor = new Ingestor({
    writer,
    metrics,
    stream,
    maxInflightRecords: config.maxInflightRecords,
    maxRecordsPerSecond: config.maxRecordsPerSecond,
    retryAfterSeconds: config.retryAfterSeconds,
    kafkaUp: () => state.kafkaUp,
    draining: () => state.draining,
  });
  const source = dependencies.source ?? (await spec.source.definition.create(spec.source.config as never));
  const server = buildServer({
    ingestor,
    metrics,
    acceptPush: source.kind === 'push',
    sourceName: source.name,
    format: spec.format,
    idField: spec.idField,
    maxBodyBytes: config.maxBodyBytes,
    connections: config.connections,
    maxRecordsPerRequest: config.maxRecordsPerRequest,
    retryAfterSeconds: config.retryAfterSeconds,
    authToken: config.authToken,
    rateLimitPerSecond: config.rateLimitPerSecond,
    rateLimitBurst: config.rateLimitBurst,
    logLevel: config.logLevel,
    draining: () => state.draining,
    // A pull runner that died leaves a pod that serves probes but reads nothing: fail liveness so it is restarted.
    live: () =>
      state.sourceStopped === undefined
        ? { live: true }
        : {
            live: false,
            reason: 'TORMENTA_PULL_SOURCE_STOPPED',
            message: `source ${source.name} stopped: ${state.sourceStopped}`,
          },
    ready: () => {
      if (state.draining) return { ready: false, reason: 'TORMENTA_DRAINING', message: 'draining' };
      if (!state.topicReady || !state.kafkaUp)
        return { ready: false, reason: 'TORMENTA_KAFKA_UNAVAILABLE', message: 'Kafka is unreachable' };
      return { ready: true };
    },
  });

  const stop = new AbortController();
  const probe = async (): Promise<void> => {
    if (!state.topicReady) {
      try {
        const created = await ensureTopic(connection, {
          topic: spec.topic,
          partitions: config.topicPartitions,
          retentionMs: config.topicRetentionMs,
        });
        if (created) server.log.info({ topic: spec.topic }, 'created topic');
        state.topicReady = true;
        state.kafkaUp = true;
      } catch (error) {
        server.log.warn({ err: error }, 'Kafka not reachable yet');
      }
    } else if (!state.kafkaUp) {
      state.kafkaUp = await kafkaReachable(connection);
      if (state.kafkaUp) server.log.info('Kafka reachable again');
    }
  };
  const probeLoop = async (): Promise<void> => {
    while (!stop.signal.aborted) {
      await probe();
      await sleep(config.kafkaProbeIntervalMs, undefined, { signal: stop.signal }).catch(() => undefined);
    }
  };

  let elector: LeaderElector | undefined;
  let running: Promise<unknown> = Promise.resolve();
  return {
    server,
    metrics,
    async start() {
      await probe();
      running = probeLoop();
      const address = await server.listen({ host: config.host, port: config.port });
      if (source.kind === 'pull' || source.kind === 'streaming') {
        // Loaded only for pull and streaming sources: @kubernetes/client-node alone adds ~85 MB of RSS, most of a push pod's budget.
        const { FileLeaseStore, KubernetesLeaseStore, LeaderElector } = await import('@tormenta/lease');
        const lease = config.lease;
        const store =
          dependencies.leaseStore ??
          (lease.mode === 'kubernetes'
            ? new KubernetesLeaseStore(lease.name, lease.namespace)
            : lease.mode === 'file'
              ? new FileLeaseStore(lease.file)
              : undefined);
        elector =
          store &&
          new LeaderElector({
            store,
            identity: lease.identity,
            durationMs: lease.durationMs,
            renewMs: lease.renewMs,
            onError: (error) => server.log.warn({ err: error }, 'lease store failed; not leading until it answers again'),
          });
        const runnerOptions = {
          ingestor,
          idField: spec.idField,
          elector,
          followPollMs: lease.renewMs,
          log: (message: string) => server.log.warn(message),
          signal: stop.signal,
        };
        const runner = (
          source.kind === 'pull'
            ? runPullSource({ ...runnerOptions, source })
            : runStreamingSource({ ...runnerOptions, source, replication: spec.source.definition.replication })
        ).catch((error: unknown) => {
          state.sourceStopped = error instanceof Error ? error.message : String(error);
          server.log.error({ err: error }, 'source stopped; /healthz now fails so the pod is restarted');
        });
        running = Promise.all([running, runner]);
      }
      server.log.info({ stream: spec.name, source: source.name, topic: spec.topic, address }, 'producer started');
      return address;
    },
    async shutdown() {
      // The pull runner stores the batch it holds before the ingest path starts refusing work.
      stop.abort();
      await running;
      state.draining = true;
      await elector?.release().catch(() => undefined);
      if (config.drainDelayMs > 0) await sleep(config.drainDelayMs);
      await server.close();
      await writer.close();
    },
  };
}
