// The real node's Debian packages: containerd, runc, the CNI plugins, iptables, buildah and socat (the pods' gateway to
// the host's loopback services). Installed on the spot (one apt-get call for whatever is missing) when we are root on a
// Debian-like machine; otherwise one line names the fix.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Package → a file it installs, which tells whether it is there. */
export const NODE_PACKAGES = {
  containerd: '/usr/bin/containerd',
  runc: '/usr/sbin/runc',
  'containernetworking-plugins': '/usr/lib/cni/bridge',
  iptables: '/usr/sbin/iptables',
  buildah: '/usr/bin/buildah',
  socat: '/usr/bin/socat',
} as const;

export function requirePackages(packages: Record<string, string>, log: (line: string) => void): void {
  const missing = Object.keys(packages).filter((pkg) => !existsSync(packages[pkg] ?? ''));
  if (missing.length === 0) return;
  const fix = `apt-get install ${missing.join(' ')}`;
  if (process.getuid?.() !== 0 || spawnSync('apt-get', ['--version']).status !== 0) {
    throw new Error(`real node: missing ${missing.join(', ')}; install them as root (Debian: ${fix})`);
  }
  log(`installing ${missing.join(', ')} from Debian (${fix})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = (): boolean =>
    spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'ignore', env }).status === 0;
  if (!install() && (spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env }).status !== 0 || !install())) {
    throw new Error(`real node: ${fix} failed; run it by hand to see why`);
  }
  const still = missing.filter((pkg) => !existsSync(packages[pkg] ?? ''));
  if (still.length) throw new Error(`real node: ${still.join(', ')} still missing after ${fix}`);
}
