// One fleet replica: the real producer app (whatever PRODUCER_* says; the primary shares the ingest port among workers),
// plus its own /metrics on an exclusive port, because a scrape of the shared port would reach a random worker.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createProducerApp, loadConfig } from '@tormenta/producer';
import type { PrimaryMessage, WorkerMessage } from './protocol.ts';
import { loadFleetSettings } from './settings.ts';

const send = (message: WorkerMessage): void => void process.send?.(message);

try {
  const settings = loadFleetSettings();
  const app = await createProducerApp(loadConfig());
  await app.start();
  const metrics = createServer((request, response) => {
    if (request.url !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    app.metrics.registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': app.metrics.registry.contentType }).end(text),
      (error: unknown) => response.writeHead(500).end(String(error)),
    );
  });
  await new Promise<void>((resolve) => metrics.listen({ host: settings.FLEET_METRICS_HOST, port: 0, exclusive: true }, resolve));
  let draining = false;
  const drain = (): void => {
    if (draining) return;
    draining = true;
    app.shutdown().finally(() => {
      metrics.close();
      process.exit(0);
    });
  };
  process.on('message', (message: PrimaryMessage) => {
    if (message.type === 'drain') drain();
  });
  process.on('SIGTERM', drain);
  process.on('SIGINT', drain);
  send({ type: 'ready', metricsPort: (metrics.address() as AddressInfo).port });
} catch (error) {
  send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
