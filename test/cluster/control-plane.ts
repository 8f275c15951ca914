// Starts and stops the test cluster: etcd, kube-apiserver (flags after controller-runtime's envtest: RBAC, client-cert
// auth against our CA, service-account issuer and keys, everything on 127.0.0.1), kube-controller-manager,
// kube-scheduler and KWOK with a few fake nodes, so Deployments really roll out to Running pods without a kubelet.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { adminKubeconfig, buildScript, clusterFile, componentKubeconfig, etcdDataDir, pkiDir, scratchDir } from './layout.ts';
import type { Binaries, ClusterInfo } from './layout.ts';
import { ensurePki, pki, writeClientKubeconfig } from './pki.ts';
import { ComponentError, freePorts, runningPid, rssBytes, startProcess, stopProcess, waitUntil } from './processes.ts';
import type { ProcessSpec } from './processes.ts';
import { apiRequest, httpOk } from './api.ts';
import { nodeComponents, readRealNode, realNodeDown, realNodeUp, runningRealNode } from './real-node/node.ts';
import type { RealNodeInfo } from './real-node/node.ts';
import { SERVICE_SUBNET } from './real-node/host.ts';

/** Start order; `down` stops in reverse. */
export const components = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok'] as const;
export type Component = (typeof components)[number];

export const FAKE_NODES = ['kwok-node-0', 'kwok-node-1', 'kwok-node-2'];
const KWOK_NODE_ANNOTATION = 'kwok.x-k8s.io/node';
// What Deployments need to become Available, plus the usual neighbours tests and charts lean on. node-lifecycle lifts the
// node.kubernetes.io/not-ready taint the API server puts on every new node once KWOK reports it Ready (and keeps its
// lease fresh); without it nothing is ever scheduled.
const CONTROLLERS = [
  'deployment',
  'replicaset',
  'garbage-collector',
  'namespace',
  'serviceaccount',
  'serviceaccount-token',
  'clusterrole-aggregation',
  'root-ca-certificate-publisher',
  'endpointslice',
  'job',
  'statefulset',
  'daemonset',
  'disruption',
  'ttl-after-finished',
  'pod-garbage-collector',
  'node-lifecycle',
].map((name) => `${name}-controller`);

export interface UpResult {
  reused: boolean;
  elapsedMs: number;
  kubeconfig: string;
  info: ClusterInfo;
  /** Only when asked for with `realNode`. */
  realNode?: RealNodeInfo;
}

export interface UpOptions {
  /** Also run a real node (containerd, kubelet, kube-proxy, CoreDNS) beside the KWOK nodes; test/cluster/real-node. */
  realNode?: boolean;
}

export function readClusterInfo(): ClusterInfo | undefined {
  return existsSync(clusterFile) ? (JSON.parse(readFileSync(clusterFile, 'utf8')) as ClusterInfo) : undefined;
}

/** The running cluster's info when every component runs and the API server is ready, else undefined. */
export async function runningCluster(): Promise<ClusterInfo | undefined> {
  const info = readClusterInfo();
  if (!info || components.some((name) => runningPid(name) === undefined)) return undefined;
  return (await httpOk(`${info.server}/readyz`)) ? info : undefined;
}

/** Brings the cluster up, or reuses the one already running. On failure stops what it started and rethrows. */
export async function up(log: (line: string) => void = () => {}, options: UpOptions = {}): Promise<UpResult> {
  const started = Date.now();
  const running = await runningCluster();
  if (running) {
    const reused = { reused: true, elapsedMs: 0, kubeconfig: adminKubeconfig, info: running };
    if (!options.realNode) return { ...reused, elapsedMs: Date.now() - started };
    const realNode = await runningRealNode();
    if (realNode) return { ...reused, elapsedMs: Date.now() - started, realNode };
    log('adding a real node to the running cluster (test/cluster/build.sh --real-node)');
    const binaries = await build(true);
    const added = await realNodeUp(binaries, log);
    return { ...reused, reused: false, elapsedMs: Date.now() - started, realNode: added };
  }

  await down(); // leftovers of a half-dead cluster: start clean rather than guess which parts still agree
  log(`building or locating binaries (test/cluster/build.sh${options.realNode ? ' --real-node' : ''})`);
  const binaries = await build(options.realNode ?? false);
  const info = await freshClusterInfo(binaries);
  ensurePki();
  writeFileSync(clusterFile, `${JSON.stringify(info, null, 2)}\n`);
  writeClientKubeconfig('admin', info.server, adminKubeconfig);
  for (const name of ['kube-controller-manager', 'kube-scheduler', 'kwok'] as const) writeClientKubeconfig(name, info.server);

  try {
    for (const name of components) {
      log(`starting ${name}`);
      startProcess(processSpec(name, info));
      await waitHealthy(name, info);
    }
    log(`creating fake nodes ${FAKE_NODES.join(', ')}`);
    await createFakeNodes();
    await waitUntil('kwok', 'marking the fake nodes Ready and schedulable', fakeNodesReady, 60_000);
    // The serviceaccount controller has to have run before any pod can be admitted into a namespace.
    await waitUntil(
      'kube-controller-manager',
      'creating default/default ServiceAccount',
      async () => (await apiRequest('GET', '/api/v1/namespaces/default/serviceaccounts/default')).status === 200,
      60_000,
    );
  } catch (error) {
    await down();
    throw error;
  }
  const realNode = options.realNode ? await realNodeUp(binaries, log) : undefined;
  return { reused: false, elapsedMs: Date.now() - started, kubeconfig: adminKubeconfig, info, ...(realNode && { realNode }) };
}

/** Stops the real node if there is one (which takes back its host changes), then every control-plane component
 * (process groups, reverse start order), and drops etcd data, PKI and kubeconfigs, so the next `up` is a fresh cluster.
 * Logs stay for post-mortems. */
export async function down(): Promise<string[]> {
  const stopped: string[] = await realNodeDown();
  for (const name of [...components].reverse()) if (await stopProcess(name)) stopped.push(name);
  for (const path of [etcdDataDir, pkiDir, clusterFile, adminKubeconfig]) rmSync(path, { recursive: true, force: true });
  return stopped;
}

export interface ComponentStatus {
  name: string;
  pid: number | undefined;
  rssBytes: number;
}

export function status(): ComponentStatus[] {
  const names: string[] = [...components, ...(readRealNode() ? nodeComponents : [])];
  return names.map((name) => {
    const pid = runningPid(name);
    return { name, pid, rssBytes: pid === undefined ? 0 : rssBytes(pid) };
  });
}

/** Runs build.sh (cached binaries make it a no-op) and reads the "<tool> <path>" lines it prints. */
async function build(realNode: boolean): Promise<Binaries> {
  const child = spawn('bash', [buildScript, ...(realNode ? ['--real-node'] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    process.stderr.write(chunk);
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) {
    const tail = stderr.trimEnd().split('\n').slice(-4).join(' | ');
    throw new Error(`build.sh: exited with ${code} — ${tail}`);
  }
  const binaries = Object.fromEntries(
    stdout
      .trim()
      .split('\n')
      .map((line) => line.split(' ', 2)),
  );
  for (const tool of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl', 'kwok', 'helm']) {
    if (!binaries[tool]) throw new Error(`build.sh: printed no path for ${tool}`);
  }
  return binaries as Binaries;
}

async function freshClusterInfo(binaries: Binaries): Promise<ClusterInfo> {
  const [etcdClient, etcdPeer, apiserver, controllerManager, scheduler, kwok] = await freePorts(6);
  const ports = { etcdClient, etcdPeer, apiserver, controllerManager, scheduler, kwok } as ClusterInfo['ports'];
  return { binaries, ports, server: `https://127.0.0.1:${ports.apiserver}` };
}

function processSpec(name: Component, info: ClusterInfo): ProcessSpec {
  const { binaries: bin, ports } = info;
  const etcdUrl = `http://127.0.0.1:${ports.etcdClient}`;
  const peerUrl = `http://127.0.0.1:${ports.etcdPeer}`;
  const componentAuth = (kubeconfig: string): string[] => [
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    '--bind-address=127.0.0.1',
    '--leader-elect=false',
  ];
  switch (name) {
    case 'etcd':
      mkdirSync(etcdDataDir, { recursive: true, mode: 0o700 });
      // --unsafe-no-fsync: a throw-away test store; envtest runs etcd the same way.
      return {
        name,
        command: bin.etcd,
        args: [
          '--name=tormenta',
          `--data-dir=${etcdDataDir}`,
          '--unsafe-no-fsync',
          `--listen-client-urls=${etcdUrl}`,
          `--advertise-client-urls=${etcdUrl}`,
          `--listen-peer-urls=${peerUrl}`,
          `--initial-advertise-peer-urls=${peerUrl}`,
          `--initial-cluster=tormenta=${peerUrl}`,
        ],
      };
    case 'kube-apiserver':
      return {
        name,
        command: bin['kube-apiserver'],
        args: [
          `--etcd-servers=${etcdUrl}`,
          '--bind-address=127.0.0.1',
          '--advertise-address=127.0.0.1',
          `--secure-port=${ports.apiserver}`,
          `--cert-dir=${scratchDir(name)}`,
          `--tls-cert-file=${pki.servingCert}`,
          `--tls-private-key-file=${pki.servingKey}`,
          `--client-ca-file=${pki.caCert}`,
          '--authorization-mode=RBAC',
          `--service-account-issuer=${info.server}`,
          `--service-account-key-file=${pki.serviceAccountPub}`,
          `--service-account-signing-key-file=${pki.serviceAccountKey}`,
          `--service-cluster-ip-range=${SERVICE_SUBNET}`,
          '--allow-privileged=true',
          '--profiling=false',
          // The `kubernetes` Service's endpoints may not be loopback addresses; nothing here dials it anyway.
          '--endpoint-reconciler-type=none',
          // How it reaches a real node's kubelet (logs, exec, port-forward): the node's bridge address, our client cert.
          `--kubelet-client-certificate=${pki.clientCert('apiserver-kubelet-client')}`,
          `--kubelet-client-key=${pki.clientKey('apiserver-kubelet-client')}`,
          '--kubelet-preferred-address-types=InternalIP',
        ],
      };
    case 'kube-controller-manager':
      return {
        name,
        command: bin['kube-controller-manager'],
        args: [
          ...componentAuth(componentKubeconfig(name)),
          `--secure-port=${ports.controllerManager}`,
          `--cert-dir=${scratchDir(name)}`,
          `--controllers=${CONTROLLERS.join(',')}`,
          `--root-ca-file=${pki.caCert}`,
          `--service-account-private-key-file=${pki.serviceAccountKey}`,
          '--use-service-account-credentials=true',
          '--profiling=false',
        ],
      };
    case 'kube-scheduler':
      return {
        name,
        command: bin['kube-scheduler'],
        args: [...componentAuth(componentKubeconfig(name)), `--secure-port=${ports.scheduler}`, '--profiling=false'],
      };
    case 'kwok':
      return {
        name,
        command: bin.kwok,
        args: [
          `--kubeconfig=${componentKubeconfig(name)}`,
          `--config=${bin['kwok-stages']}`,
          '--manage-all-nodes=false',
          `--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION}=fake`,
          '--node-ip=127.0.0.1',
          '--cidr=10.244.0.0/16',
          '--node-lease-duration-seconds=40',
          `--server-address=127.0.0.1:${ports.kwok}`,
        ],
      };
  }
}

function waitHealthy(name: Component, info: ClusterInfo): Promise<void> {
  const { ports } = info;
  const probes: Record<Component, [string, () => Promise<boolean>]> = {
    etcd: ['healthy', () => httpOk(`http://127.0.0.1:${ports.etcdClient}/health`)],
    'kube-apiserver': ['ready', () => httpOk(`${info.server}/readyz`)],
    // Both serve /healthz with a self-signed certificate; it is a liveness probe, not a trust decision.
    'kube-controller-manager': ['healthy', () => httpOk(`https://127.0.0.1:${ports.controllerManager}/healthz`, false)],
    'kube-scheduler': ['healthy', () => httpOk(`https://127.0.0.1:${ports.scheduler}/healthz`, false)],
    kwok: ['healthy', () => httpOk(`http://127.0.0.1:${ports.kwok}/healthz`)],
  };
  const [what, probe] = probes[name];
  return waitUntil(name, what, probe, name === 'kube-apiserver' ? 90_000 : 60_000);
}

async function createFakeNodes(): Promise<void> {
  for (const name of FAKE_NODES) {
    const node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name,
        annotations: { [KWOK_NODE_ANNOTATION]: 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
        labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', type: 'kwok' },
      },
      status: {
        allocatable: { cpu: '16', memory: '64Gi', pods: '110' },
        capacity: { cpu: '16', memory: '64Gi', pods: '110' },
        nodeInfo: { architecture: 'amd64', operatingSystem: 'linux', kubeletVersion: 'fake', kubeProxyVersion: 'fake' },
      },
    };
    const { status, body } = await apiRequest('POST', '/api/v1/nodes', node);
    if (status !== 201 && status !== 409) throw new ComponentError('kube-apiserver', `creating node ${name}: ${status} ${body}`);
  }
}

interface NodeState {
  spec?: { taints?: { key: string }[] };
  status?: { conditions?: { type: string; status: string }[] };
}

/** All fake nodes Ready and free of the not-ready taint, i.e. schedulable. */
async function fakeNodesReady(): Promise<boolean> {
  const { status, body } = await apiRequest('GET', '/api/v1/nodes?labelSelector=type%3Dkwok');
  if (status !== 200) return false;
  const nodes = (JSON.parse(body) as { items: NodeState[] }).items;
  const ready = nodes.filter(
    (n) =>
      n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') &&
      !n.spec?.taints?.some((t) => t.key.startsWith('node.kubernetes.io/')),
  );
  return ready.length === FAKE_NODES.length;
}
