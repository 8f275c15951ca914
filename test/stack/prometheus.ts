// Prometheus from Debian's package. Services register scrape targets by dropping a file into targets/ (file_sd), so the
// stack's configuration never needs editing as services come and go.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { componentDir, endpoints, host, ports } from './layout.ts';
import { requirePrometheus } from './prerequisites.ts';
import { runningPid, startProcess, waitUntil } from './processes.ts';

export const PROMETHEUS = 'prometheus';
export const SCRAPE_INTERVAL_SECONDS = 5;

export const prometheusTargetsDir = (): string => join(componentDir(PROMETHEUS), 'targets');

/** Registers a scrape job for local services; Prometheus picks the file up within its refresh interval. */
export function registerScrapeTargets(job: string, targets: string[], labels: Record<string, string> = {}): string {
  mkdirSync(prometheusTargetsDir(), { recursive: true });
  const file = join(prometheusTargetsDir(), `${job}.json`);
  writeFileSync(file, JSON.stringify([{ targets, labels: { job, ...labels } }], null, 2));
  return file;
}

function config(): string {
  return `# written by tormenta's stack; edits are overwritten on the next start
global:
  scrape_interval: ${SCRAPE_INTERVAL_SECONDS}s
  evaluation_interval: ${SCRAPE_INTERVAL_SECONDS}s
scrape_configs:
  - job_name: prometheus
    static_configs:
      - targets: ['${host}:${ports.prometheus}']
  - job_name: tormenta
    file_sd_configs:
      - files: ['${prometheusTargetsDir()}/*.json']
        refresh_interval: 5s
`;
}

export function writePrometheusConfig(): string {
  mkdirSync(prometheusTargetsDir(), { recursive: true });
  const configFile = join(componentDir(PROMETHEUS), 'prometheus.yml');
  writeFileSync(configFile, config());
  return configFile;
}

export async function startPrometheus(): Promise<boolean> {
  if (runningPid(PROMETHEUS) !== undefined) return false;
  const binary = requirePrometheus();
  const dir = componentDir(PROMETHEUS);
  const configFile = writePrometheusConfig();
  startProcess({
    name: PROMETHEUS,
    command: binary,
    args: [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=${host}:${ports.prometheus}`,
      '--web.enable-lifecycle',
      '--storage.tsdb.retention.time=1d',
    ],
  });
  await waitUntil(PROMETHEUS, 'ready', prometheusReady, 60_000);
  return true;
}

export async function prometheusReady(): Promise<boolean> {
  const response = await fetch(`${endpoints.prometheus}/-/ready`);
  return response.ok;
}
