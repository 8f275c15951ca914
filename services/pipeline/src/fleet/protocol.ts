// What the fleet primary and its workers say to each other over the cluster IPC channel, and what its admin endpoint
// answers. Shared by both ends and by the admin client.

export type WorkerMessage = { type: 'ready'; metricsPort: number } | { type: 'failed'; message: string };
export type PrimaryMessage = { type: 'drain' };

export interface FleetWorkerStatus {
  id: number;
  pid: number;
  ready: boolean;
  metricsUrl: string | null;
}

export interface FleetStatus {
  /** The scale "spec": replicas asked for. */
  replicas: number;
  /** Workers accepting records now. */
  readyReplicas: number;
  maxReplicas: number;
  workers: FleetWorkerStatus[];
}
