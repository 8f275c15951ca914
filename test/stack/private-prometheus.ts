// A Prometheus of a test's own (same Debian binary as the stack's, its own port, data and config), for tests that must
// stop and restart Prometheus without disturbing others, or that want a 1 s scrape interval.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { host } from './layout.ts';
import { requirePrometheus } from './prerequisites.ts';

export interface PrivatePrometheus {
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function privatePrometheus(port: number, scrapeTargets: string[], scrapeIntervalSeconds = 1): PrivatePrometheus {
  const dir = mkdtempSync(join(tmpdir(), 'tormenta-prometheus-'));
  const config = join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    `global:\n  scrape_interval: ${scrapeIntervalSeconds}s\nscrape_configs:\n  - job_name: test\n    static_configs:\n      - targets: ${JSON.stringify(scrapeTargets)}\n`,
  );
  const url = `http://${host}:${port}`;
  let child: ChildProcess | undefined;
  return {
    url,
    async start() {
      child = spawn(
        requirePrometheus(),
        [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=${host}:${port}`],
        { stdio: 'ignore' },
      );
      for (let attempt = 0; attempt < 100; attempt++) {
        if (
          await fetch(`${url}/-/ready`).then(
            (r) => r.ok,
            () => false,
          )
        )
          return;
        await sleep(200);
      }
      throw new Error(`private Prometheus on ${url} not ready within 20s`);
    },
    async stop() {
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
