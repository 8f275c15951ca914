// Runs the real autoscaler process against the test cluster, with the least-privilege Role the chart grants it and a
// ServiceAccount token (not admin credentials), so a test sees exactly what the deployed controller would do.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppsV1Api, CoreV1Api, dumpYaml, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { repoRoot } from '../stack/layout.ts';
import { freePort } from '../stack/processes.ts';
import { adminConfig, serviceAccountKubeconfig } from './helpers.ts';

export const AUTOSCALER_SA = 'tormenta-autoscaler';
export const AUTOSCALER_CONFIGMAP = 'tormenta-autoscaler';

/** The autoscaler's Role: what charts/tormenta grants it, nothing more. */
export const autoscalerRules = [
  { apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: ['get'] },
  { apiGroups: ['apps'], resources: ['deployments/scale', 'statefulsets/scale'], verbs: ['get', 'update', 'patch'] },
  { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'create', 'update'] },
];

export async function grantAutoscalerRole(namespace: string): Promise<string> {
  const config = adminConfig();
  const core = config.makeApiClient(CoreV1Api);
  const rbac = config.makeApiClient(RbacAuthorizationV1Api);
  await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: AUTOSCALER_SA } } });
  await rbac.createNamespacedRole({ namespace, body: { metadata: { name: AUTOSCALER_SA }, rules: autoscalerRules } });
  await rbac.createNamespacedRoleBinding({
    namespace,
    body: {
      metadata: { name: AUTOSCALER_SA },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: AUTOSCALER_SA },
      subjects: [{ kind: 'ServiceAccount', name: AUTOSCALER_SA, namespace }],
    },
  });
  return serviceAccountKubeconfig(namespace, AUTOSCALER_SA);
}

export async function writeAutoscalerConfig(namespace: string, config: unknown): Promise<void> {
  const core = adminConfig().makeApiClient(CoreV1Api);
  const body = { metadata: { name: AUTOSCALER_CONFIGMAP, namespace }, data: { 'config.yaml': dumpYaml(config) } };
  try {
    await core.replaceNamespacedConfigMap({ name: AUTOSCALER_CONFIGMAP, namespace, body });
  } catch {
    await core.createNamespacedConfigMap({ namespace, body });
  }
}

export async function createWorkload(namespace: string, name: string, replicas: number): Promise<void> {
  const labels = { app: name };
  await adminConfig()
    .makeApiClient(AppsV1Api)
    .createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name, labels },
        spec: {
          replicas,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: { containers: [{ name, image: 'registry.k8s.io/pause:3.10' }] } },
        },
      },
    });
}

export async function replicasOf(namespace: string, name: string): Promise<number> {
  const scale = await adminConfig().makeApiClient(AppsV1Api).readNamespacedDeploymentScale({ name, namespace });
  return scale.spec?.replicas ?? 0;
}

export async function eventReasons(namespace: string, involvedName: string): Promise<string[]> {
  const events = await adminConfig().makeApiClient(CoreV1Api).listNamespacedEvent({ namespace });
  return events.items.filter((event) => event.involvedObject.name === involvedName).map((event) => event.reason ?? '');
}

export interface RunningAutoscaler {
  identity: string;
  url: string;
  process: ChildProcess;
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function startAutoscaler(
  namespace: string,
  kubeconfig: string,
  identity: string,
  leaseSeconds = 6,
): Promise<RunningAutoscaler> {
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, [join(repoRoot, 'services', 'autoscaler', 'src', 'main.ts')], {
    env: {
      PATH: process.env.PATH,
      KUBECONFIG: kubeconfig,
      AUTOSCALER_NAMESPACE: namespace,
      AUTOSCALER_IDENTITY: identity,
      AUTOSCALER_HTTP_HOST: '127.0.0.1',
      AUTOSCALER_HTTP_PORT: String(port),
      AUTOSCALER_LEASE_DURATION_SECONDS: String(leaseSeconds),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    if (
      await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (child.exitCode !== null || attempt > 100) throw new Error(`autoscaler ${identity} did not start:\n${output}`);
    await sleep(200);
  }
  return {
    identity,
    url,
    process: child,
    output: () => output,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill(signal);
      await exited;
    },
  };
}

export async function autoscalerStatus(autoscaler: RunningAutoscaler): Promise<{ leader: boolean; configVersion?: string }> {
  return (await fetch(`${autoscaler.url}/status`)).json() as Promise<{ leader: boolean; configVersion?: string }>;
}

export async function metricValue(autoscaler: RunningAutoscaler, name: string, target: string): Promise<number | undefined> {
  const text = await (await fetch(`${autoscaler.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(`target="${target}"`));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}
