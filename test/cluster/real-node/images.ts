// Images the real node needs before any pod can start, made locally (no registry is reachable): the pod sandbox's pause
// image and the podfacts test image, each one static binary in an otherwise empty image. Built by buildah (from scratch,
// copy, commit — nothing runs inside, so no build-time network), kept as docker-archive files in the cache, and imported
// into containerd's k8s.io namespace on every `up` (down deletes containerd's store).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { cacheDir } from '../../stack/layout.ts';

export const buildahRoot = join(cacheDir, 'buildah', 'storage');
export const buildahRunRoot = join(cacheDir, 'buildah', 'run');
const archives = join(cacheDir, 'images');

export function buildah(args: string[]): string {
  const full = ['--root', buildahRoot, '--runroot', buildahRunRoot, '--storage-driver', 'overlay', ...args];
  const result = spawnSync('buildah', full, { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  if (result.error || result.status !== 0) {
    throw new Error(
      `buildah ${args.join(' ')}: ${(result.stderr || String(result.error)).trim().split('\n').slice(-3).join(' | ')}`,
    );
  }
  return result.stdout.trim();
}

/** The image name for a binary built by build.sh: its cache directory's version (a source hash) is the tag. */
export function imageNameFor(binary: string): string {
  const [, version] = /^[a-z]+-(.+)$/.exec(basename(dirname(binary))) ?? [];
  return `tormenta.local/${basename(binary)}:${version ?? 'latest'}`;
}

/** A docker-archive holding `binary` alone as /<name>, its entrypoint; built once per binary version. */
export function scratchImageArchive(binary: string): { name: string; archive: string } {
  const name = imageNameFor(binary);
  const archive = join(archives, `${name.replace(/[/:]/g, '_')}.tar`);
  if (existsSync(archive)) return { name, archive };
  mkdirSync(archives, { recursive: true });
  const program = basename(binary);
  const container = buildah(['from', '--name', `tormenta-${program}-${process.pid}`, 'scratch']);
  try {
    buildah(['copy', '--chmod', '0755', container, binary, `/${program}`]);
    buildah(['config', '--entrypoint', JSON.stringify([`/${program}`]), '--user', '65532:65532', container]);
    buildah(['commit', '--rm', container, name]);
  } catch (error) {
    spawnSync('buildah', ['--root', buildahRoot, '--runroot', buildahRunRoot, 'rm', container], { stdio: 'ignore' });
    throw error;
  }
  rmSync(`${archive}.partial`, { force: true });
  buildah(['push', name, `docker-archive:${archive}.partial:${name}`]);
  renameSync(`${archive}.partial`, archive);
  return { name, archive };
}

/** Imports a docker- or OCI-archive into containerd's CRI namespace (what kubelet sees). */
export function importImage(socket: string, archive: string): void {
  const result = spawnSync('ctr', ['--address', socket, '-n', 'k8s.io', 'images', 'import', archive], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`ctr images import ${archive}: ${result.stderr.trim()}`);
}
