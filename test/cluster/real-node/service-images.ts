// The service images on the real node: `scripts/images.ts --import` builds what its content hash says is missing (a
// no-op when nothing changed) and loads the archives into the node's containerd; the chart then names them by tag.
import { execFile } from 'node:child_process';
import { basename, join } from 'node:path';
import { repoRoot } from '../layout.ts';

export interface ChartImage {
  repository: string;
  tag: string;
  pullPolicy: 'Never';
}

export interface ServiceImages {
  producer: ChartImage;
  consumer: ChartImage;
  autoscaler: ChartImage;
  seconds: number;
}

const BUILD_TIMEOUT_MS = 20 * 60_000;

export async function importServiceImages(): Promise<ServiceImages> {
  const started = Date.now();
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      [join(repoRoot, 'scripts', 'images.ts'), '--import'],
      { cwd: repoRoot, timeout: BUILD_TIMEOUT_MS, maxBuffer: 16 * 2 ** 20 },
      (error, out, err) => {
        if (error) reject(new Error(`scripts/images.ts --import failed: ${err.trim().split('\n').slice(-8).join('\n')}`));
        else resolve(out);
      },
    );
  });
  // One line per service: "<service> <cache>/images/tormenta-<service>-<key>.tar (<n> MiB archive)".
  const image = (service: string): ChartImage => {
    const line = stdout.split('\n').find((candidate) => candidate.startsWith(`${service} `));
    const match = line && /^tormenta-([a-z]+)-([0-9a-f]+)\.tar$/.exec(basename(line.split(' ')[1] ?? ''));
    if (!match) throw new Error(`scripts/images.ts printed no archive for ${service}:\n${stdout}`);
    return { repository: `tormenta-${match[1]}`, tag: match[2] as string, pullPolicy: 'Never' };
  };
  return {
    producer: image('producer'),
    consumer: image('consumer'),
    autoscaler: image('autoscaler'),
    seconds: (Date.now() - started) / 1000,
  };
}
