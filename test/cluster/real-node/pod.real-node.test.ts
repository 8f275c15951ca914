// A pod on the real node: containerd runs the locally imported podfacts image under kubelet, its readiness probe
// passes, it answers on its pod IP and through a ClusterIP Service (kube-proxy's iptables rules), CoreDNS resolves the
// Service's name, and what the pod reports from inside (uid, read-only root, memory limit of its cgroup) matches its
// spec — as does its memory cgroup on the host, nested under the cgroup the node runs in.
import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import { Resolver } from 'node:dns/promises';
import { CoreV1Api } from '@kubernetes/client-node';
import type { V1Pod } from '@kubernetes/client-node';
import { adminConfig, createTestNamespace, eventually } from '../helpers.ts';
import type { TestNamespace } from '../helpers.ts';
import { CLUSTER_DOMAIN } from './config.ts';
import { REAL_NODE_TAINT } from './layout.ts';
import { readRealNode } from './node.ts';
import type { RealNodeInfo } from './node.ts';

const MEMORY_LIMIT_BYTES = 64 * 2 ** 20;
const LABELS = { app: 'podfacts' };

interface PodFacts {
  uid: number;
  gid: number;
  hostname: string;
  rootWritable: boolean;
  writeError: string;
  memoryLimit: string;
}

function podfactsPod(image: string): V1Pod {
  return {
    metadata: { name: 'podfacts', labels: LABELS },
    spec: {
      nodeSelector: { type: 'real' },
      tolerations: [{ key: REAL_NODE_TAINT.key, operator: 'Exists', effect: REAL_NODE_TAINT.effect }],
      automountServiceAccountToken: false,
      securityContext: { runAsUser: 1000, runAsGroup: 1000, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'podfacts',
          image,
          imagePullPolicy: 'Never',
          ports: [{ containerPort: 8080 }],
          readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 1 },
          resources: { limits: { cpu: '100m', memory: `${MEMORY_LIMIT_BYTES}` } },
          securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        },
      ],
    },
  };
}

/** One GET on a fresh connection (no keep-alive pool outliving the test). */
function facts(url: string): Promise<PodFacts> {
  return new Promise((resolve, reject) => {
    const request = get(url, { agent: false, timeout: 2_000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        if (response.statusCode === 200) resolve(JSON.parse(body) as PodFacts);
        else reject(new Error(`${url}: ${response.statusCode} ${body}`));
      });
    });
    request.on('timeout', () => request.destroy(new Error(`${url}: no answer in 2s`)));
    request.on('error', reject);
  });
}

describe('a pod on the real node', () => {
  const core = adminConfig().makeApiClient(CoreV1Api);
  let ns: TestNamespace;
  let node: RealNodeInfo;

  beforeAll(() => {
    const info = readRealNode();
    if (!info) throw new Error('real node not running: test/cluster/real-node/global-setup.ts starts it');
    node = info;
  });
  beforeEach(async () => {
    ns = await createTestNamespace({ restricted: true });
  });
  afterEach(async () => {
    await ns.delete();
  });

  it('runs Ready as uid 1000 on a read-only root with its memory limit, reachable on its pod IP, its Service and its DNS name', async () => {
    await core.createNamespacedPod({ namespace: ns.name, body: podfactsPod(node.images.podfacts) });
    const pod = await eventually(
      'the pod Running and Ready',
      async () => {
        const current = await core.readNamespacedPod({ namespace: ns.name, name: 'podfacts' });
        const ready = current.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
        return current.status?.phase === 'Running' && ready ? current : undefined;
      },
      90_000,
    );
    expect(pod.spec?.nodeName).toBe(node.name);
    const podIp = pod.status?.podIP ?? '';
    expect(podIp.startsWith('10.245.0.')).toBe(true);

    const fromPod = await facts(`http://${podIp}:8080/facts`);
    expect(fromPod).toMatchObject({ uid: 1000, gid: 1000, hostname: 'podfacts', rootWritable: false });
    expect(fromPod.writeError).toContain('read-only file system');
    expect(Number(fromPod.memoryLimit)).toBe(MEMORY_LIMIT_BYTES);

    // A Guaranteed pod's cgroup is kubepods/pod<uid> under the node's cgroup root, itself under this process's cgroup.
    const hostLimit = readFileSync(
      `/sys/fs/cgroup/memory${node.cgroupRoot}/kubepods/pod${pod.metadata?.uid}/memory.limit_in_bytes`,
      'utf8',
    );
    expect(Number(hostLimit)).toBe(MEMORY_LIMIT_BYTES);

    const service = await core.createNamespacedService({
      namespace: ns.name,
      body: { metadata: { name: 'podfacts' }, spec: { selector: LABELS, ports: [{ port: 80, targetPort: 8080 }] } },
    });
    const clusterIp = service.spec?.clusterIP ?? '';
    const throughService = await eventually('the Service answering', () => facts(`http://${clusterIp}/facts`), 30_000);
    expect(throughService.hostname).toBe('podfacts');

    const resolver = new Resolver({ timeout: 2_000, tries: 1 });
    resolver.setServers([node.ip]);
    const addresses = await eventually('CoreDNS resolving the Service', () =>
      resolver.resolve4(`podfacts.${ns.name}.svc.${CLUSTER_DOMAIN}`),
    );
    expect(addresses).toEqual([clusterIp]);
  });
});
