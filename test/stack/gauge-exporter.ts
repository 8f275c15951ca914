// A real /metrics endpoint whose values a test sets, for Prometheus to scrape: the test drives "the ingest rate" and the
// whole real path (scrape, PromQL, HTTP API) carries it to the code under test.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { host } from './layout.ts';

export interface GaugeExporter {
  target: string;
  set(name: string, labels: Record<string, string>, value: number): void;
  close(): Promise<void>;
}

export async function startGaugeExporter(): Promise<GaugeExporter> {
  const values = new Map<string, number>();
  const server = createServer((_request, response) => {
    response.setHeader('content-type', 'text/plain; version=0.0.4');
    response.end([...values].map(([series, value]) => `${series} ${value}`).join('\n') + '\n');
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    target: `${host}:${port}`,
    set(name, labels, value) {
      const rendered = Object.entries(labels)
        .map(([key, v]) => `${key}="${v}"`)
        .join(',');
      values.set(`${name}{${rendered}}`, value);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
