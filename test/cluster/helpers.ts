// What *.cluster.test.ts files use: the admin client, a fresh namespace per test, credentials for a ServiceAccount, and
// the kubectl / helm binaries of the running test cluster (started by global-setup.ts).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiException, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { adminKubeconfig, scratchDir } from './layout.ts';
import type { ClusterInfo } from './layout.ts';
import { readClusterInfo } from './control-plane.ts';
import { kubeconfig } from './pki.ts';

export function clusterInfo(): ClusterInfo {
  const info = readClusterInfo();
  if (!info) throw new Error('test cluster is not running: jest global setup (test/cluster/global-setup.ts) starts it');
  return info;
}

export const kubectlPath = (): string => clusterInfo().binaries.kubectl;
export const helmPath = (): string => clusterInfo().binaries.helm;
export { adminKubeconfig };

export function adminConfig(): KubeConfig {
  const config = new KubeConfig();
  config.loadFromFile(adminKubeconfig);
  return config;
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion; a non-zero exit is a result, not an exception (tests assert on it). */
export function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(command, args, { env: { ...process.env, ...env }, timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

export const kubectl = (args: string[], kubeconfigPath = adminKubeconfig): Promise<CommandResult> =>
  run(kubectlPath(), [`--kubeconfig=${kubeconfigPath}`, ...args]);

/** Helm with its cache, config and data kept in the cluster's state directory instead of the user's home. */
export function helm(args: string[]): Promise<CommandResult> {
  const home = scratchDir('helm');
  return run(helmPath(), [`--kubeconfig=${adminKubeconfig}`, ...args], {
    HELM_CACHE_HOME: join(home, 'cache'),
    HELM_CONFIG_HOME: join(home, 'config'),
    HELM_DATA_HOME: join(home, 'data'),
  });
}

export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await sleep(250);
  }
  throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export interface TestNamespace {
  name: string;
  delete(): Promise<void>;
}

/**
 * A namespace of its own for one test, optionally enforcing Pod Security "restricted". Returns once its default
 * ServiceAccount exists, since pods cannot be admitted before that.
 */
export async function createTestNamespace(options: { restricted?: boolean } = {}): Promise<TestNamespace> {
  const core = adminConfig().makeApiClient(CoreV1Api);
  const name = `t-${randomBytes(4).toString('hex')}`;
  const labels: Record<string, string> = { 'tormenta.test/cluster': 'true' };
  if (options.restricted) {
    labels['pod-security.kubernetes.io/enforce'] = 'restricted';
    labels['pod-security.kubernetes.io/enforce-version'] = 'latest';
  }
  await core.createNamespace({ body: { metadata: { name, labels } } });
  await eventually(`ServiceAccount ${name}/default`, () =>
    core.readNamespacedServiceAccount({ name: 'default', namespace: name }).then(() => true),
  );
  return {
    name,
    async delete() {
      await core.deleteNamespace({ name }).catch((error: unknown) => {
        if (!(error instanceof ApiException && error.code === 404)) throw error;
      });
    },
  };
}

/**
 * A kubeconfig that authenticates as ServiceAccount `namespace/name` with a bound token from the TokenRequest API —
 * the same credentials a pod of that ServiceAccount gets.
 */
export async function serviceAccountKubeconfig(namespace: string, name: string): Promise<string> {
  const core = adminConfig().makeApiClient(CoreV1Api);
  const request = await core.createNamespacedServiceAccountToken({
    namespace,
    name,
    body: { spec: { audiences: [], expirationSeconds: 3600 } },
  });
  const token = request.status?.token;
  if (!token) throw new Error(`TokenRequest for ${namespace}/${name} returned no token`);
  const dir = scratchDir('kubeconfigs');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${namespace}-${name}.kubeconfig`);
  writeFileSync(path, kubeconfig(clusterInfo().server, { token }, `${namespace}-${name}`), { mode: 0o600 });
  return path;
}

/** kubectl arguments that impersonate a ServiceAccount using the admin's credentials. */
export const impersonate = (namespace: string, name: string): string[] => [`--as=system:serviceaccount:${namespace}:${name}`];
