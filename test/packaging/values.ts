// Producer and consumer entries for values files in the packaging tests (a list entry must be given whole).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';

export const defaultProducer = {
  name: 'push',
  stream: {
    name: 'transacciones',
    source: { kind: 'http-push' },
    topic: 'topic_transaccion',
    format: 'json',
    schema: 'transaccion.schema.json',
    key: 'ID_PERSONA',
    idField: 'id',
  },
  schemaConfigMap: {},
  replicas: 1,
  env: {},
  service: { type: 'ClusterIP', port: 80 },
  autoscaling: { enabled: true, minReplicas: 1, maxReplicas: 30, costPerReplicaHour: 10, targetPerReplica: 5000, query: '' },
};

/** A Lease-elected source with no replicas or autoscaling given: the chart runs it as leader + standby. */
export const pollProducer = {
  name: 'poll',
  stream: { name: 'iss', source: { kind: 'http-poll', url: 'http://api.example.com/now' }, topic: 'topic_iss' },
  env: {},
  service: { type: 'ClusterIP', port: 80 },
};

const shippedSink = (name: string): Record<string, unknown> =>
  parseYaml(readFileSync(resolve(import.meta.dirname, '../../sinks', `${name}.yaml`), 'utf8')) as Record<string, unknown>;

/** The chart's default consumer: the transactions sink (sinks/transacciones.yaml) at a 1 s cadence. */
export const defaultConsumer = { name: '1s', replicas: 1, sink: shippedSink('transacciones'), schemaConfigMap: {}, env: {} };

/** The ISS positions (sinks/iss.yaml) at a 10 s cadence, as a group of their own. */
export const issConsumer = {
  name: 'iss-10s',
  replicas: 1,
  sink: { ...shippedSink('iss'), group: 'tormenta-iss-10s', batchIntervalMs: 10_000 },
  env: {},
};
