// Producer entries for values files in the packaging tests (a list entry must be given whole).
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

export const pollProducer = {
  name: 'poll',
  stream: { name: 'iss', source: { kind: 'http-poll', url: 'http://api.example.com/now' }, topic: 'topic_iss' },
  replicas: 2,
  env: {},
  service: { type: 'ClusterIP', port: 80 },
  autoscaling: { enabled: false, minReplicas: 1, maxReplicas: 2, costPerReplicaHour: 10, targetPerReplica: 100 },
};
