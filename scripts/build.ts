// The images' build step: a service's entry point and the workspaces it links (@tormenta/*) bundled into plain JavaScript
// under services/<service>/dist, every other package left to node_modules. Node then loads no TypeScript, so the type
// stripper (a WebAssembly module, ~16 MB resident for the life of the process) never starts — a sixth of a producer's
// memory budget. Development, tests and `npm start` keep running the sources directly.
//
//   scripts/node24.sh node scripts/build.ts <service>...   (producer, consumer, autoscaler)
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import type { Plugin } from 'esbuild';

const repo = resolve(import.meta.dirname, '..');

export const SERVICES = ['producer', 'consumer', 'autoscaler'] as const;
export type Service = (typeof SERVICES)[number];

/** Bare imports other than our workspaces stay imports, resolved from node_modules at run time. */
const packagesExternal: Plugin = {
  name: 'packages-external',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@tormenta/') ? undefined : { path: args.path, external: true },
    );
  },
};

/** Bundles `entries` (name → source file) into `outdir`; lazily imported modules become chunks loaded on first use. */
export async function bundle(entries: Record<string, string>, outdir: string): Promise<void> {
  rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints: entries,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    sourcemap: 'linked',
    plugins: [packagesExternal],
    outExtension: { '.js': '.mjs' },
    logLevel: 'warning',
  });
}

export function serviceDist(service: Service): string {
  return join(repo, 'services', service, 'dist');
}

export async function buildService(service: Service): Promise<string> {
  const outdir = serviceDist(service);
  await bundle({ main: join(repo, 'services', service, 'src', 'main.ts') }, outdir);
  return join(outdir, 'main.mjs');
}

if (import.meta.main) {
  const requested = process.argv.slice(2);
  const unknown = requested.filter((name) => !(SERVICES as readonly string[]).includes(name));
  if (requested.length === 0 || unknown.length > 0) {
    console.error(
      `usage: scripts/build.ts <service>... — services: ${SERVICES.join(', ')}${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`,
    );
    process.exit(2);
  }
  for (const service of requested as Service[]) console.log(`built ${await buildService(service)}`);
}
