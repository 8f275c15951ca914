// A real node beside the KWOK nodes: Debian's containerd + runc + CNI plugins, kubelet and kube-proxy (iptables) built
// like the control plane, and CoreDNS for cluster DNS, all run as local processes by the cluster's supervisor. The node
// registers tainted (REAL_NODE_TAINT), so only pods that ask for it land there. `realNodeDown` undoes every host change
// (see host.ts) and fails, listing them, if anything is left behind.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { apiRequest, httpOk } from '../api.ts';
import type { Binaries } from '../layout.ts';
import { stateDir } from '../layout.ts';
import { pki, writeClientKubeconfig } from '../pki.ts';
import { ComponentError, freePorts, runningPid, startProcess, stopProcess, waitUntil } from '../processes.ts';
import { CNI_NETWORK, containerdConfig, cniConfig, corefile, crictlConfig, kubeletConfig, kubeProxyConfig } from './config.ts';
import type { NodePorts } from './config.ts';
import { NODE_PACKAGES, requirePackages } from './debian.ts';
import { gatewayComponents, gatewaysDown, gatewaysUp } from './gateway.ts';
import * as host from './host.ts';
import { importImage, scratchImageArchive } from './images.ts';
import { NODE_NAME, nodeDir, nodePaths } from './layout.ts';

export const nodeComponents = ['containerd', 'kubelet', 'kube-proxy', 'coredns', ...gatewayComponents] as const;
export type NodeComponent = (typeof nodeComponents)[number];
export const REAL_NODE_TOOLS = ['kubelet', 'kube-proxy', 'crictl', 'coredns', 'pause', 'podfacts'] as const;

/** Kept beside cluster.json (outside nodeDir, which `down` deletes first) until the node is fully gone. */
const nodeFile = join(stateDir, 'real-node.json');

export interface RealNodeInfo {
  name: string;
  ip: string;
  cgroupRoot: string;
  ports: NodePorts;
  /** Image names in containerd's k8s.io namespace: the sandbox image and the podfacts test image. */
  images: { pause: string; podfacts: string };
  binaries: Record<(typeof REAL_NODE_TOOLS)[number], string>;
}

export function readRealNode(): RealNodeInfo | undefined {
  return existsSync(nodeFile) ? (JSON.parse(readFileSync(nodeFile, 'utf8')) as RealNodeInfo) : undefined;
}

/** The node's info when all its processes run and kubelet reports the node Ready, else undefined. */
export async function runningRealNode(): Promise<RealNodeInfo | undefined> {
  const info = readRealNode();
  if (!info || nodeComponents.some((name) => runningPid(name) === undefined)) return undefined;
  return (await nodeReady()) ? info : undefined;
}

export async function realNodeUp(binaries: Binaries, log: (line: string) => void): Promise<RealNodeInfo> {
  const running = await runningRealNode();
  if (running) return running;
  await realNodeDown();
  requirePackages(NODE_PACKAGES, log);
  const tools = Object.fromEntries(REAL_NODE_TOOLS.map((tool) => [tool, (binaries as Record<string, string>)[tool]]));
  for (const tool of REAL_NODE_TOOLS) if (!tools[tool]) throw new Error(`build.sh --real-node: printed no path for ${tool}`);
  const [kubelet, kubeletHealthz, kubeProxyHealthz, kubeProxyMetrics, corednsHealth, corednsReady] = await freePorts(6);
  const ports = { kubelet, kubeletHealthz, kubeProxyHealthz, kubeProxyMetrics, corednsHealth, corednsReady } as NodePorts;
  log('building or locating the pause and podfacts images (buildah)');
  const pause = scratchImageArchive(tools.pause as string);
  const podfacts = scratchImageArchive(tools.podfacts as string);
  const info: RealNodeInfo = {
    name: NODE_NAME,
    ip: host.NODE_IP,
    cgroupRoot: host.nodeCgroupRoot(),
    ports,
    images: { pause: pause.name, podfacts: podfacts.name },
    binaries: tools as RealNodeInfo['binaries'],
  };
  writeFileSync(nodeFile, `${JSON.stringify(info, null, 2)}\n`);

  try {
    prepareHost(info);
    await grantRbac();
    log('starting containerd');
    startProcess({ name: 'containerd', command: '/usr/bin/containerd', args: ['--config', nodePaths.containerdConfig] });
    await waitUntil('containerd', 'serving CRI', containerdServing, 30_000);
    for (const archive of [pause.archive, podfacts.archive]) importImage(nodePaths.containerdSocket, archive);
    log(`starting kubelet (cgroup root ${info.cgroupRoot})`);
    startProcess({
      name: 'kubelet',
      command: info.binaries.kubelet,
      args: [
        `--config=${nodePaths.kubeletConfig}`,
        `--kubeconfig=${writeClientKubeconfig('kubelet', server())}`,
        `--root-dir=${nodePaths.kubeletRoot}`,
        `--hostname-override=${NODE_NAME}`,
        `--node-ip=${host.NODE_IP}`,
        `--node-labels=type=real`,
      ],
    });
    await waitUntil('kubelet', 'reporting the node Ready', nodeReady, 120_000);
    log('starting kube-proxy (iptables) and CoreDNS');
    startProcess({ name: 'kube-proxy', command: info.binaries['kube-proxy'], args: [`--config=${nodePaths.kubeProxyConfig}`] });
    startProcess({ name: 'coredns', command: info.binaries.coredns, args: ['-conf', nodePaths.corefile] });
    await waitUntil('kube-proxy', 'healthy', () => httpOk(`http://127.0.0.1:${ports.kubeProxyHealthz}/healthz`), 60_000);
    await waitUntil('coredns', 'ready', () => httpOk(`http://127.0.0.1:${ports.corednsReady}/ready`), 60_000);
    log(`forwarding the API server, HBase REST and Prometheus to pods on ${host.NODE_IP} (socat)`);
    await gatewaysUp(Number(new URL(server()).port));
  } catch (error) {
    await realNodeDown().catch(() => {});
    throw error;
  }
  return info;
}

function server(): string {
  return (JSON.parse(readFileSync(join(stateDir, 'cluster.json'), 'utf8')) as { server: string }).server;
}

function prepareHost(info: RealNodeInfo): void {
  const dirs = [nodePaths.containerdRoot, nodePaths.cniConfDir, nodePaths.cniIpamDir, nodePaths.kubeletRoot, nodePaths.podLogs];
  for (const dir of [...dirs, nodePaths.volumePlugins]) {
    mkdirSync(dir, { recursive: true });
  }
  host.saveSysctls();
  host.recordHostDirs();
  host.createCgroups(info.cgroupRoot);
  host.createBridge();
  writeFileSync(nodePaths.containerdConfig, containerdConfig(info.images.pause));
  writeFileSync(join(nodePaths.cniConfDir, '10-tormenta.conflist'), cniConfig());
  writeFileSync(nodePaths.kubeletConfig, kubeletConfig(pki.caCert, info.cgroupRoot, info.ports));
  writeFileSync(nodePaths.kubeProxyConfig, kubeProxyConfig(writeClientKubeconfig('kube-proxy', server()), info.ports));
  writeFileSync(nodePaths.corefile, corefile(writeClientKubeconfig('coredns', server()), info.ports));
  writeFileSync(nodePaths.crictlConfig, crictlConfig());
}

/** RBAC the Node authorizer would otherwise give kubelet (not enabled here), and a read-only role for CoreDNS. */
async function grantRbac(): Promise<void> {
  const rbac = '/apis/rbac.authorization.k8s.io/v1';
  const objects: [string, unknown][] = [
    [
      `${rbac}/clusterrolebindings`,
      {
        metadata: { name: 'tormenta:real-node' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:node' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:nodes' }],
      },
    ],
    [
      `${rbac}/clusterroles`,
      {
        metadata: { name: 'tormenta:coredns' },
        rules: [
          { apiGroups: [''], resources: ['endpoints', 'services', 'pods', 'namespaces'], verbs: ['list', 'watch'] },
          { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
        ],
      },
    ],
    [
      `${rbac}/clusterrolebindings`,
      {
        metadata: { name: 'tormenta:coredns' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'tormenta:coredns' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'tormenta-coredns' }],
      },
    ],
  ];
  for (const [path, body] of objects) {
    const { status, body: text } = await apiRequest('POST', path, body);
    if (status !== 201 && status !== 409) throw new ComponentError('kube-apiserver', `creating ${path}: ${status} ${text}`);
  }
}

async function containerdServing(): Promise<boolean> {
  return spawnSync('ctr', ['--address', nodePaths.containerdSocket, 'version'], { stdio: 'ignore' }).status === 0;
}

interface NodeObject {
  spec?: { taints?: { key: string }[] };
  status?: { conditions?: { type: string; status: string }[] };
}

/** Ready, and the node controller has lifted the not-ready taint (so pods tolerating REAL_NODE_TAINT schedule). */
async function nodeReady(): Promise<boolean> {
  const { status, body } = await apiRequest('GET', `/api/v1/nodes/${NODE_NAME}`).catch(() => ({ status: 0, body: '' }));
  if (status !== 200) return false;
  const node = JSON.parse(body) as NodeObject;
  return (
    (node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false) &&
    !(node.spec?.taints?.some((t) => t.key.startsWith('node.kubernetes.io/')) ?? false)
  );
}

/**
 * Stops the node and takes back every host change: pod sandboxes removed through CRI (so the CNI plugin releases their
 * veths and addresses), processes stopped, leftovers killed by pid, mounts unmounted, iptables chains, bridge and cgroups
 * deleted, ip_forward restored, the node's directory and Node object removed. Throws listing whatever is still there.
 */
export async function realNodeDown(): Promise<NodeComponent[]> {
  const info = readRealNode();
  const stopped: NodeComponent[] = [];
  if (!info && !existsSync(nodeDir)) return stopped;
  const cgroupRoot = info?.cgroupRoot ?? host.nodeCgroupRoot();
  if (await stopProcess('kubelet')) stopped.push('kubelet');
  if (runningPid('containerd') !== undefined && info) {
    spawnSync(info.binaries.crictl, ['--config', nodePaths.crictlConfig, 'rmp', '--all', '--force'], { stdio: 'ignore' });
  }
  for (const name of ['containerd', 'kube-proxy', 'coredns'] as const) if (await stopProcess(name)) stopped.push(name);
  stopped.push(...(await gatewaysDown()));
  await killStragglers(cgroupRoot);
  if (info) spawnSync(info.binaries['kube-proxy'], ['--cleanup'], { stdio: 'ignore' });
  host.removeIptablesChains();
  host.unmountUnder(nodeDir);
  host.deleteBridge();
  host.removeCgroups(cgroupRoot);
  host.restoreSysctls();
  host.removeHostDirs(CNI_NETWORK);
  await deleteNodeObject();
  const left = host.leftovers(cgroupRoot, CNI_NETWORK);
  if (left.length > 0) {
    throw new Error(`real node: down left ${left.map((item) => `${item.kind} ${item.what}`).join('; ')}`);
  }
  rmSync(nodeDir, { recursive: true, force: true });
  rmSync(nodeFile, { force: true });
  return stopped;
}

/** The Node object goes too, so a later `up` never shows a NotReady real node; no API server, nothing to delete. */
async function deleteNodeObject(): Promise<void> {
  try {
    await apiRequest('DELETE', `/api/v1/nodes/${NODE_NAME}`);
  } catch {
    // the control plane is down (or was never up): there is no Node object to keep
  }
}

/** Shims and container processes that outlived containerd (they run in their own sessions), killed by pid. */
async function killStragglers(cgroupRoot: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const pids = [...new Set([...host.processesUsing(nodeDir), ...host.cgroupPids(cgroupRoot)])];
    if (pids.length === 0) return;
    for (const pid of pids) {
      try {
        process.kill(pid, attempt === 0 ? 'SIGTERM' : 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await sleep(100);
  }
}
