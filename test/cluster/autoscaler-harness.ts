// Runs the real autoscaler process against the test cluster, with the Role the chart grants it and a ServiceAccount
// token (not admin credentials), so a test sees exactly what the deployed controller would do.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppsV1Api, CoreV1Api, dumpYaml } from '@kubernetes/client-node';
import { repoRoot } from '../stack/layout.ts';
import { freePort } from '../stack/processes.ts';
import { adminConfig, eventually, helm, kubectl, serviceAccountKubeconfig } from './helpers.ts';

/** Names the chart gives the autoscaler's objects for release "tormenta" (see charts/tormenta/templates/_helpers.tpl). */
export const AUTOSCALER_SA = 'tormenta-autoscaler';
export const AUTOSCALER_CONFIGMAP = 'tormenta-autoscaler';
/** The producer Deployment the chart's default values let the autoscaler scale. */
export const CHART_PRODUCER = 'tormenta-producer-push';

/**
 * Installs the autoscaler's ServiceAccount, Role and RoleBinding exactly as the chart renders them (not a copy of its
 * rules), so a test run with this account sees what the deployed controller may do.
 */
export async function grantAutoscalerRole(namespace: string): Promise<string> {
  const rendered = await helm([
    'template',
    'tormenta',
    join(repoRoot, 'charts', 'tormenta'),
    '--namespace',
    namespace,
    '--show-only',
    'templates/autoscaler-rbac.yaml',
  ]);
  if (rendered.code !== 0) throw new Error(`helm template failed: ${rendered.stderr}`);
  const file = join(mkdtempSync(join(tmpdir(), 'tormenta-rbac-')), 'autoscaler-rbac.yaml');
  writeFileSync(file, rendered.stdout);
  const applied = await kubectl(['apply', '-n', namespace, '-f', file]);
  if (applied.code !== 0) throw new Error(`kubectl apply failed: ${applied.stderr}`);
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

/** Waits for an Event with `reason`: the controller posts it after the scale write a test usually waits for. */
export async function eventRecorded(namespace: string, involvedName: string, reason: string, timeoutMs = 15_000): Promise<void> {
  await eventually(
    `a ${reason} Event on ${involvedName}`,
    async () => ((await eventReasons(namespace, involvedName)).includes(reason) ? true : undefined),
    timeoutMs,
  );
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
  env: Record<string, string> = {},
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
      ...env,
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
    if (child.exitCode !== null || child.signalCode !== null || attempt > 100)
      throw new Error(`autoscaler ${identity} did not start:\n${output}`);
    await sleep(200);
  }
  return {
    identity,
    url,
    process: child,
    output: () => output,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
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
