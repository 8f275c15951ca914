// Producer entries for values files in the packaging tests (a list entry must be given whole).
export const defaultProducer = {
  name: 'push',
  source: 'http-push',
  replicas: 1,
  env: {},
  service: { type: 'ClusterIP', port: 80 },
  autoscaling: { enabled: true, minReplicas: 1, maxReplicas: 30, costPerReplicaHour: 10, targetPerReplica: 5000, query: '' },
};

export const pollProducer = {
  name: 'poll',
  source: 'http-poll',
  replicas: 2,
  env: { PRODUCER_POLL_URL: 'http://api.example.com/now' },
  service: { type: 'ClusterIP', port: 80 },
  autoscaling: { enabled: false, minReplicas: 1, maxReplicas: 2, costPerReplicaHour: 10, targetPerReplica: 100 },
};
