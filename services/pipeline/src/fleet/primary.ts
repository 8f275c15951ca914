// The local scale target: a cluster-module primary that shares the producers' ingest port among N worker processes and
// answers GET/PUT /replicas, the stand-in for a Deployment's scale subresource. Scaling down drains the newest workers
// (readyz false, in-flight requests finish, the Kafka writer flushes) before they exit.
//   FLEET_REPLICAS=1 FLEET_ADMIN_PORT=3100 PRODUCER_PORT=3000 … node services/pipeline/src/fleet/primary.ts
import cluster from 'node:cluster';
import type { Worker } from 'node:cluster';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FleetStatus, PrimaryMessage, WorkerMessage } from './protocol.ts';
import { loadFleetSettings } from './settings.ts';

const settings = loadFleetSettings();
cluster.setupPrimary({ exec: new URL('./worker.ts', import.meta.url).pathname });

let desired = Math.min(settings.FLEET_REPLICAS, settings.FLEET_MAX_REPLICAS);
let stopping = false;
const live = new Map<number, { worker: Worker; metricsPort: number | null; draining: boolean }>();

function log(msg: string, fields: Record<string, unknown> = {}): void {
  console.log(JSON.stringify({ time: new Date().toISOString(), component: 'tormenta-fleet', msg, ...fields }));
}

function drain(worker: Worker): void {
  const entry = live.get(worker.id);
  if (entry === undefined || entry.draining) return;
  entry.draining = true;
  worker.send({ type: 'drain' } satisfies PrimaryMessage);
  setTimeout(() => {
    if (!worker.isDead()) worker.process.kill('SIGKILL');
  }, settings.FLEET_DRAIN_TIMEOUT_MS).unref();
}

function reconcile(): void {
  if (stopping) return;
  const active = [...live.values()].filter((entry) => !entry.draining);
  for (let count = active.length; count < desired; count += 1) {
    const worker = cluster.fork({ PRODUCER_KAFKA_CLIENT_ID: `tormenta-fleet-${process.pid}-${Date.now()}-${count}` });
    live.set(worker.id, { worker, metricsPort: null, draining: false });
    worker.on('message', (message: WorkerMessage) => {
      const entry = live.get(worker.id);
      if (message.type === 'ready' && entry) entry.metricsPort = message.metricsPort;
      if (message.type === 'failed') log('worker failed to start', { worker: worker.id, error: message.message });
    });
  }
  for (const entry of active.slice(desired)) drain(entry.worker);
}

cluster.on('exit', (worker, code, signal) => {
  const entry = live.get(worker.id);
  live.delete(worker.id);
  if (entry !== undefined && !entry.draining && !stopping) {
    log('worker died; replacing it', { worker: worker.id, code, signal });
    setTimeout(reconcile, 1_000).unref();
  }
  if (stopping && live.size === 0) process.exit(0);
});

function status(): FleetStatus {
  const workers = [...live.values()]
    .filter((entry) => !entry.draining)
    .map(({ worker, metricsPort }) => ({
      id: worker.id,
      pid: worker.process.pid ?? 0,
      ready: metricsPort !== null,
      metricsUrl: metricsPort === null ? null : `${settings.FLEET_METRICS_HOST}:${metricsPort}`,
    }));
  return {
    replicas: desired,
    readyReplicas: workers.filter((worker) => worker.ready).length,
    maxReplicas: settings.FLEET_MAX_REPLICAS,
    workers,
  };
}

function reply(response: ServerResponse, code: number, body: unknown): void {
  response.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const admin = createServer((request, response) => {
  if (request.url !== '/replicas')
    return reply(response, 404, {
      statusCode: 404,
      code: 'TORMENTA_NOT_FOUND',
      error: 'Not Found',
      message: 'GET or PUT /replicas',
    });
  if (request.method === 'GET') return reply(response, 200, status());
  if (request.method !== 'PUT')
    return reply(response, 405, { statusCode: 405, code: 'TORMENTA_METHOD', error: 'Method Not Allowed', message: 'GET or PUT' });
  readBody(request)
    .then((text) => {
      const replicas = (JSON.parse(text) as { replicas?: unknown }).replicas;
      if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0 || replicas > settings.FLEET_MAX_REPLICAS) {
        return reply(response, 400, {
          statusCode: 400,
          code: 'TORMENTA_INVALID_REPLICAS',
          error: 'Bad Request',
          message: `replicas must be an integer 0..${settings.FLEET_MAX_REPLICAS}`,
        });
      }
      if (replicas !== desired) log('scale', { from: desired, to: replicas });
      desired = replicas;
      reconcile();
      reply(response, 200, status());
    })
    .catch((error: unknown) =>
      reply(response, 400, { statusCode: 400, code: 'TORMENTA_INVALID_REPLICAS', error: 'Bad Request', message: String(error) }),
    );
});

function stop(signal: string): void {
  if (stopping) return;
  stopping = true;
  log('stopping', { signal, workers: live.size });
  admin.close();
  for (const { worker } of live.values()) drain(worker);
  if (live.size === 0) process.exit(0);
  setTimeout(() => process.exit(0), settings.FLEET_DRAIN_TIMEOUT_MS + 1_000).unref();
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));

admin.listen(settings.FLEET_ADMIN_PORT, settings.FLEET_ADMIN_HOST, () => {
  log('fleet started', { admin: `http://${settings.FLEET_ADMIN_HOST}:${settings.FLEET_ADMIN_PORT}/replicas`, replicas: desired });
  reconcile();
});
