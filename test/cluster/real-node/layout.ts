// Where the real node keeps everything it writes: one directory under the cluster's state directory, deleted by `down`
// once nothing is mounted inside it. Only the created-cgroup record and the saved sysctl outlive a crash there.
import { join } from 'node:path';
import { stateDir } from '../layout.ts';

export const nodeDir = join(stateDir, 'node');
export const NODE_NAME = 'real-node-0';
/** Pods land on the real node only when they tolerate this taint, so KWOK-based tests never see it. */
export const REAL_NODE_TAINT = { key: 'tormenta.dev/real-node', value: 'true', effect: 'NoSchedule' } as const;

export const nodePaths = {
  containerdRoot: join(nodeDir, 'containerd', 'root'),
  containerdState: join(nodeDir, 'containerd', 'state'),
  containerdConfig: join(nodeDir, 'containerd', 'config.toml'),
  containerdSocket: join(nodeDir, 'containerd', 'containerd.sock'),
  runcRoot: join(nodeDir, 'runc'),
  cniConfDir: join(nodeDir, 'cni', 'net.d'),
  cniIpamDir: join(nodeDir, 'cni', 'ipam'),
  kubeletRoot: join(nodeDir, 'kubelet'),
  kubeletConfig: join(nodeDir, 'kubelet-config.yaml'),
  podLogs: join(nodeDir, 'pod-logs'),
  volumePlugins: join(nodeDir, 'volume-plugins'),
  kubeProxyConfig: join(nodeDir, 'kube-proxy-config.yaml'),
  corefile: join(nodeDir, 'Corefile'),
  crictlConfig: join(nodeDir, 'crictl.yaml'),
  images: join(nodeDir, 'images'),
  savedSysctls: join(nodeDir, 'sysctls.json'),
};
