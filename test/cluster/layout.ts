// Where the test cluster keeps its state: one directory with the PKI, kubeconfigs, etcd data, logs and pid files, so any
// later command (cli, jest setup, a second `up`) finds the running cluster without asking anyone.
import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '..', '..');
export const buildScript = join(import.meta.dirname, 'build.sh');
export const stateDir = join(process.env.TORMENTA_STATE ?? join(repoRoot, '.tormenta'), 'cluster');

export const pkiDir = join(stateDir, 'pki');
export const etcdDataDir = join(stateDir, 'etcd');
export const adminKubeconfig = join(stateDir, 'kubeconfig');
export const clusterFile = join(stateDir, 'cluster.json');
export const componentKubeconfig = (name: string): string => join(pkiDir, `${name}.kubeconfig`);
export const scratchDir = (name: string): string => join(stateDir, 'scratch', name);

/** Paths of the binaries build.sh produced, by tool name (plus `kwok-stages`); the real node's only after --real-node. */
export type Binaries = Record<
  'etcd' | 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'kubectl' | 'kwok' | 'kwok-stages' | 'helm',
  string
> &
  Partial<Record<'kubelet' | 'kube-proxy' | 'crictl' | 'coredns' | 'pause' | 'podfacts', string>>;

/** What `up` decided and later commands need: ports and binaries of the running cluster. */
export interface ClusterInfo {
  binaries: Binaries;
  ports: { etcdClient: number; etcdPeer: number; apiserver: number; controllerManager: number; scheduler: number; kwok: number };
  server: string;
}
