// The real node's configuration files, as text: containerd (CRI), the CNI network, kubelet, kube-proxy and CoreDNS.
// Every path points into the node's state directory and every address is on 127.0.0.1 or the project's bridge.
import { BRIDGE, NODE_IP, POD_SUBNET, SERVICE_SUBNET } from './host.ts';
import { NODE_NAME, REAL_NODE_TAINT, nodePaths } from './layout.ts';

export const CLUSTER_DOMAIN = 'cluster.local';
export const CNI_NETWORK = 'tormenta';

export interface NodePorts {
  kubelet: number;
  kubeletHealthz: number;
  kubeProxyHealthz: number;
  kubeProxyMetrics: number;
  corednsHealth: number;
  corednsReady: number;
}

export function containerdConfig(sandboxImage: string): string {
  // restrict_oom_score_adj: the VM lacks CAP_SYS_RESOURCE, so runc may not lower a container's oom_score_adj below its
  // own; without this every sandbox fails with "can't get final child's PID from pipe: EOF".
  return `# written by test/cluster/real-node; rewritten on every up
version = 2
root = "${nodePaths.containerdRoot}"
state = "${nodePaths.containerdState}"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]

[grpc]
  address = "${nodePaths.containerdSocket}"

[plugins."io.containerd.internal.v1.opt"]
  path = "${nodePaths.containerdRoot}/opt"

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "${sandboxImage}"
  restrict_oom_score_adj = true
  netns_mounts_under_state_dir = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_selinux = false
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        Root = "${nodePaths.runcRoot}"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "${nodePaths.cniConfDir}"
`;
}

/**
 * Bridge + host-local IPAM on the project's bridge; no masquerade, so pod traffic never leaves the machine. Pods get no
 * default route, only one for the Service range through the node (kube-proxy's rules), so in-cluster clients reach
 * ClusterIPs such as the `kubernetes` Service's and nothing beyond the bridge.
 */
export function cniConfig(): string {
  const network = {
    cniVersion: '0.4.0',
    name: CNI_NETWORK,
    plugins: [
      {
        type: 'bridge',
        bridge: BRIDGE,
        isGateway: true,
        ipMasq: false,
        hairpinMode: true,
        ipam: {
          type: 'host-local',
          ranges: [[{ subnet: POD_SUBNET, gateway: NODE_IP }]],
          routes: [{ dst: SERVICE_SUBNET }],
          dataDir: nodePaths.cniIpamDir,
        },
      },
    ],
  };
  return `${JSON.stringify(network, null, 2)}\n`;
}

export function kubeletConfig(caFile: string, cgroupRoot: string, ports: NodePorts): string {
  const config = {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    // Kubernetes 1.35 refuses cgroup v1 unless told; this VM has no unified-only hierarchy.
    failCgroupV1: false,
    cgroupDriver: 'cgroupfs',
    cgroupRoot,
    containerRuntimeEndpoint: `unix://${nodePaths.containerdSocket}`,
    failSwapOn: false,
    address: NODE_IP,
    port: ports.kubelet,
    readOnlyPort: 0,
    healthzBindAddress: '127.0.0.1',
    healthzPort: ports.kubeletHealthz,
    authentication: { anonymous: { enabled: false }, webhook: { enabled: true }, x509: { clientCAFile: caFile } },
    authorization: { mode: 'Webhook' },
    clusterDNS: [NODE_IP],
    clusterDomain: CLUSTER_DOMAIN,
    podLogsDir: nodePaths.podLogs,
    volumePluginDir: nodePaths.volumePlugins,
    registerWithTaints: [REAL_NODE_TAINT],
    // Images are imported, never pulled: nothing may garbage-collect them, and a small disk must not evict pods.
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    evictionHard: { 'memory.available': '100Mi', 'nodefs.available': '1%', 'imagefs.available': '1%', 'nodefs.inodesFree': '1%' },
    maxPods: 30,
    serializeImagePulls: false,
    nodeStatusReportFrequency: '10s',
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

export function kubeProxyConfig(kubeconfig: string, ports: NodePorts): string {
  // localhostNodePorts false and conntrack sizes 0: kube-proxy then leaves route_localnet and nf_conntrack_* alone.
  const config = {
    apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
    kind: 'KubeProxyConfiguration',
    clientConnection: { kubeconfig },
    mode: 'iptables',
    hostnameOverride: NODE_NAME,
    bindAddress: NODE_IP,
    clusterCIDR: POD_SUBNET,
    healthzBindAddress: `127.0.0.1:${ports.kubeProxyHealthz}`,
    metricsBindAddress: `127.0.0.1:${ports.kubeProxyMetrics}`,
    nodePortAddresses: [`${NODE_IP}/32`],
    oomScoreAdj: 0,
    iptables: { localhostNodePorts: false, masqueradeAll: false },
    conntrack: { maxPerCore: 0, min: 0, tcpEstablishedTimeout: '0s', tcpCloseWaitTimeout: '0s' },
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** Cluster DNS on the node's bridge address, answering only for the cluster domain and reverse zones (no forwarding). */
export function corefile(kubeconfig: string, ports: NodePorts): string {
  return `${CLUSTER_DOMAIN}:53 in-addr.arpa:53 ip6.arpa:53 {
  bind ${NODE_IP}
  errors
  health 127.0.0.1:${ports.corednsHealth}
  ready 127.0.0.1:${ports.corednsReady}
  kubernetes ${CLUSTER_DOMAIN} in-addr.arpa ip6.arpa {
    kubeconfig ${kubeconfig}
    pods insecure
    fallthrough in-addr.arpa ip6.arpa
  }
  cache 30
}
`;
}

export function crictlConfig(): string {
  return `runtime-endpoint: unix://${nodePaths.containerdSocket}\nimage-endpoint: unix://${nodePaths.containerdSocket}\ntimeout: 30\n`;
}
