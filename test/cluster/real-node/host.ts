// What a real node changes on the host, and how `down` takes each change back: cgroups nested under this process's own
// cgroup (every v1 controller, plus cgroup2 when mounted), one bridge with the pod network's gateway address, the
// ip_forward sysctl, the KUBE-* / CNI-* iptables chains, and mounts under the node's state directory. `leftovers()`
// inventories all of them, so `down` can prove it left nothing behind.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeDir, nodePaths } from './layout.ts';

const createdAncestorsFile = join(nodeDir, 'cgroup-ancestors.json');

export const BRIDGE = 'tormenta0';
export const POD_SUBNET = '10.245.0.0/24';
export const NODE_IP = '10.245.0.1';
/** The API server's --service-cluster-ip-range. */
export const SERVICE_SUBNET = '10.0.0.0/24';
const CGROUP_MOUNT = '/sys/fs/cgroup';
const IP_FORWARD = '/proc/sys/net/ipv4/ip_forward';
const CHAIN_PREFIXES = ['KUBE-', 'CNI-'];
const NODE_CGROUP = 'tormenta-node';

function sh(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')}: ${(result.stderr || String(result.error)).trim()}`);
  }
  return result.stdout;
}

// --- cgroups -----------------------------------------------------------------------------------------------------------

/** Mounted cgroup hierarchies: v1 controller directories under /sys/fs/cgroup, plus the unified (v2) one when present. */
function hierarchies(): string[] {
  return readdirSync(CGROUP_MOUNT)
    .map((name) => join(CGROUP_MOUNT, name))
    .filter((dir) => existsSync(join(dir, 'cgroup.procs')));
}

/**
 * The node's cgroup root: a child of the deepest cgroup this process runs in (on this kind of VM only the memory
 * controller places us below the root, in /process_api/<id>). Kubelet wants one path in every controller, so that path
 * is created in all of them.
 */
export function nodeCgroupRoot(): string {
  const paths = readFileSync('/proc/self/cgroup', 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split(':').slice(2).join(':'));
  const deepest = paths.reduce((a, b) => (b.split('/').length > a.split('/').length ? b : a), '/');
  return join(deepest, NODE_CGROUP);
}

/** Creates `root` in every hierarchy; cpuset cgroups start with no CPUs or memory nodes, so each copies its parent's. */
export function createCgroups(root: string): void {
  const created: string[] = [];
  for (const hierarchy of hierarchies()) {
    const parts = root.split('/').filter(Boolean);
    for (let depth = 1; depth <= parts.length; depth++) {
      const dir = join(hierarchy, ...parts.slice(0, depth));
      if (existsSync(dir)) continue;
      mkdirSync(dir);
      // The ancestors we had to create (e.g. /process_api/<id> in cpu) are ours to remove on the way down.
      if (depth < parts.length) created.push(dir);
      for (const file of ['cpuset.cpus', 'cpuset.mems']) {
        const parent = join(dir, '..', file);
        if (existsSync(parent)) writeFileSync(join(dir, file), readFileSync(parent, 'utf8').trim() || '\n');
      }
    }
  }
  writeFileSync(createdAncestorsFile, `${JSON.stringify(created)}\n`);
}

function cgroupTree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const children = readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory());
  return [...children.flatMap((child) => cgroupTree(join(dir, child.name))), dir];
}

/** Processes still inside the node's cgroups (containers, shims that joined them). */
export function cgroupPids(root: string): number[] {
  const pids = new Set<number>();
  for (const hierarchy of hierarchies()) {
    for (const dir of cgroupTree(join(hierarchy, root))) {
      for (const pid of readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean)) pids.add(Number(pid));
    }
  }
  return [...pids];
}

/** Removes the node's cgroups deepest first, then the ancestors createCgroups made. */
export function removeCgroups(root: string): void {
  for (const hierarchy of hierarchies()) for (const dir of cgroupTree(join(hierarchy, root))) rmdirSync(dir);
  const created = existsSync(createdAncestorsFile) ? (JSON.parse(readFileSync(createdAncestorsFile, 'utf8')) as string[]) : [];
  for (const dir of created.sort((a, b) => b.length - a.length)) if (existsSync(dir)) rmdirSync(dir);
  rmSync(createdAncestorsFile, { force: true });
}

export function leftoverCgroups(root: string): string[] {
  return hierarchies().flatMap((hierarchy) => (existsSync(join(hierarchy, root)) ? [join(hierarchy, root)] : []));
}

// --- network -----------------------------------------------------------------------------------------------------------

/** The pod network's bridge, made before the CNI bridge plugin sees it: the node's address lives on it from the start. */
export function createBridge(): void {
  if (!existsSync(`/sys/class/net/${BRIDGE}`)) sh('ip', ['link', 'add', BRIDGE, 'type', 'bridge']);
  const addresses = sh('ip', ['-4', '-o', 'addr', 'show', 'dev', BRIDGE]);
  if (!addresses.includes(`${NODE_IP}/`)) sh('ip', ['addr', 'add', `${NODE_IP}/24`, 'dev', BRIDGE]);
  sh('ip', ['link', 'set', BRIDGE, 'up']);
  // Service IPs are rewritten by kube-proxy's rules, but a packet sent before they exist (or to a Service without
  // endpoints) would follow the default route off the machine; this route keeps it on the bridge. It goes with the bridge.
  if (!sh('ip', ['route', 'show', SERVICE_SUBNET]).includes(BRIDGE)) sh('ip', ['route', 'add', SERVICE_SUBNET, 'dev', BRIDGE]);
}

export function deleteBridge(): void {
  if (existsSync(`/sys/class/net/${BRIDGE}`)) sh('ip', ['link', 'del', BRIDGE]);
}

/** Interfaces still enslaved to the bridge (a pod's veth whose sandbox was never torn down). */
function bridgePorts(): string[] {
  const dir = `/sys/class/net/${BRIDGE}/brif`;
  return existsSync(dir) ? readdirSync(dir) : [];
}

/** Saves ip_forward before the bridge plugin turns it on; restoreSysctls puts the saved value back. */
export function saveSysctls(): void {
  if (!existsSync(nodePaths.savedSysctls)) {
    writeFileSync(nodePaths.savedSysctls, `${JSON.stringify({ [IP_FORWARD]: readFileSync(IP_FORWARD, 'utf8').trim() })}\n`);
  }
}

export function restoreSysctls(): void {
  for (const [file, value] of Object.entries(savedSysctls())) writeFileSync(file, `${value}\n`);
}

function savedSysctls(): Record<string, string> {
  return existsSync(nodePaths.savedSysctls)
    ? (JSON.parse(readFileSync(nodePaths.savedSysctls, 'utf8')) as Record<string, string>)
    : {};
}

// --- iptables ----------------------------------------------------------------------------------------------------------

const IPTABLES = ['iptables', 'ip6tables'];
const TABLES = ['filter', 'nat', 'mangle', 'raw'];
const ours = (chain: string): boolean => CHAIN_PREFIXES.some((prefix) => chain.startsWith(prefix));

/** Every rule that jumps to one of our chains is deleted, then our chains are flushed and deleted (kube-proxy --cleanup
 * covers its own chains; kubelet's canaries and the CNI plugins' chains are left to this). */
export function removeIptablesChains(): void {
  for (const binary of IPTABLES) {
    for (const table of TABLES) {
      const rules = listRules(binary, table);
      if (rules === undefined) continue;
      const chains = rules.filter((line) => line.startsWith('-N ')).map((line) => line.split(' ')[1] ?? '');
      for (const rule of rules) {
        const [op, chain, ...spec] = rule.split(' ');
        const target = spec[spec.indexOf('-j') + 1] ?? '';
        if (op === '-A' && chain && !ours(chain) && ours(target)) sh(binary, ['-t', table, '-D', chain, ...unquote(spec)]);
      }
      for (const chain of chains.filter(ours)) sh(binary, ['-t', table, '-F', chain]);
      for (const chain of chains.filter(ours)) sh(binary, ['-t', table, '-X', chain]);
    }
  }
}

function listRules(binary: string, table: string): string[] | undefined {
  const result = spawnSync(binary, ['-w', '-t', table, '-S'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim().split('\n') : undefined;
}

// `-S` prints comments in double quotes; spawn passes arguments without a shell, so the quotes must go.
function unquote(spec: string[]): string[] {
  const joined = spec.join(' ');
  return [...joined.matchAll(/"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2] ?? '');
}

function leftoverIptables(): string[] {
  return IPTABLES.flatMap((binary) =>
    TABLES.flatMap((table) =>
      (listRules(binary, table) ?? [])
        .filter((rule) => CHAIN_PREFIXES.some((prefix) => rule.includes(prefix)))
        .map((rule) => `${binary} -t ${table} ${rule}`),
    ),
  );
}

// --- mounts and processes ----------------------------------------------------------------------------------------------

/** Mount points under `dir`, deepest first (mountinfo field 5; octal escapes for spaces are decoded). */
export function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .trim()
    .split('\n')
    .map((line) =>
      (line.split(' ')[4] ?? '').replace(/\\(\d{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))),
    )
    .filter((point) => point === dir || point.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
}

export function unmountUnder(dir: string): void {
  for (const point of mountsUnder(dir)) {
    if (spawnSync('umount', [point]).status !== 0) sh('umount', ['--lazy', point]);
  }
}

/** Processes with an argument that is a path in `dir`: the node's daemons (their config files), containerd's shims
 * (-address <socket>) and anything else started against the node's state. A shell line merely mentioning the path is
 * one argument that does not start with it, so it is not counted. */
export function processesUsing(dir: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid)
    .filter((pid) => {
      try {
        const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return argv.some((arg) => arg === dir || arg.startsWith(`${dir}/`));
      } catch {
        return false;
      }
    })
    .map(Number);
}

// --- directories outside the node's own -------------------------------------------------------------------------------

// containerd 1.6 puts shim sockets in /run/containerd/s whatever its state setting, and libcni caches results in
// /var/lib/cni/results (files named <network>-<container>-<interface>).
const HOST_DIRS = ['/run/containerd', '/run/containerd/s', '/var/lib/cni', '/var/lib/cni/results'];
const CNI_RESULTS = '/var/lib/cni/results';
const createdDirsFile = join(nodeDir, 'host-dirs.json');

/** Remembers which of those directories do not exist yet, so `down` removes only the ones the node made. */
export function recordHostDirs(): void {
  if (!existsSync(createdDirsFile)) {
    writeFileSync(createdDirsFile, `${JSON.stringify(HOST_DIRS.filter((dir) => !existsSync(dir)))}\n`);
  }
}

function createdHostDirs(): string[] {
  return existsSync(createdDirsFile) ? (JSON.parse(readFileSync(createdDirsFile, 'utf8')) as string[]) : [];
}

function cniResults(network: string): string[] {
  return existsSync(CNI_RESULTS) ? readdirSync(CNI_RESULTS).filter((file) => file.startsWith(`${network}-`)) : [];
}

export function removeHostDirs(network: string): void {
  for (const file of cniResults(network)) rmSync(join(CNI_RESULTS, file));
  for (const dir of createdHostDirs().sort((a, b) => b.length - a.length)) {
    if (existsSync(dir) && readdirSync(dir).length === 0) rmdirSync(dir);
  }
}

export interface Leftover {
  kind: 'process' | 'mount' | 'bridge' | 'interface' | 'cgroup' | 'iptables' | 'sysctl' | 'file';
  what: string;
}

/** Everything a real node could have left on the host; empty after a clean `down`. */
export function leftovers(cgroupRoot: string, network: string): Leftover[] {
  const found: Leftover[] = [];
  const pids = new Set([...processesUsing(nodeDir), ...cgroupPids(cgroupRoot)]);
  for (const pid of pids) found.push({ kind: 'process', what: `${pid} ${commandOf(pid)}` });
  for (const point of mountsUnder(nodeDir)) found.push({ kind: 'mount', what: point });
  if (existsSync(`/sys/class/net/${BRIDGE}`)) found.push({ kind: 'bridge', what: BRIDGE });
  for (const port of bridgePorts()) found.push({ kind: 'interface', what: port });
  for (const dir of leftoverCgroups(cgroupRoot)) found.push({ kind: 'cgroup', what: dir });
  for (const rule of leftoverIptables()) found.push({ kind: 'iptables', what: rule });
  for (const file of cniResults(network)) found.push({ kind: 'file', what: join(CNI_RESULTS, file) });
  for (const dir of createdHostDirs().filter((d) => existsSync(d))) found.push({ kind: 'file', what: dir });
  for (const [file, value] of Object.entries(savedSysctls())) {
    const now = readFileSync(file, 'utf8').trim();
    if (now !== value) found.push({ kind: 'sysctl', what: `${file} is ${now}, was ${value}` });
  }
  return found;
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').slice(0, 200);
  } catch {
    return '(gone)';
  }
}
