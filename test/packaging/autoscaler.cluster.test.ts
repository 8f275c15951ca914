// The autoscaler as the chart installs it scales the chart's producer Deployment. KWOK pods run no containers, so the
// controller runs here, with exactly the chart's identity (a token of its ServiceAccount), ConfigMap and Lease, and the
// real Prometheus of the local stack evaluating the demand query.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AppsV1Api, CoordinationV1Api, CoreV1Api } from '@kubernetes/client-node';
import { adminConfig, createTestNamespace, eventually, helm, serviceAccountKubeconfig } from '../cluster/helpers.ts';
import type { TestNamespace } from '../cluster/helpers.ts';
import { endpoints } from '../stack/layout.ts';
import { CHART } from '../../k8s/render.ts';
import { freePort } from '../stack/processes.ts';
import { defaultProducer } from './values.ts';

const repo = resolve(import.meta.dirname, '..', '..');

describe('the autoscaler installed by the chart', () => {
  const config = adminConfig();
  const apps = config.makeApiClient(AppsV1Api);
  const core = config.makeApiClient(CoreV1Api);
  const leases = config.makeApiClient(CoordinationV1Api);
  let ns: TestNamespace;
  let scratch: string;
  let controller: ChildProcess | undefined;
  let output = '';

  beforeAll(async () => {
    const ready = await fetch(`${endpoints.prometheus}/-/ready`).catch((error: unknown) => error);
    if (!(ready instanceof Response) || !ready.ok) {
      throw new Error(`Prometheus of the local stack is not answering at ${endpoints.prometheus} (npm run stack -- up)`);
    }
    ns = await createTestNamespace({ restricted: true });
    scratch = mkdtempSync(join(tmpdir(), 'tormenta-autoscaler-'));
  });
  afterAll(async () => {
    controller?.kill('SIGTERM');
    await ns?.delete();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('scales the producer Deployment to the demand its query reports', async () => {
    // 12 000 records/s at 5 000 per replica: a demand of 3 replicas, well under the budget cap of 20.
    const values = {
      producers: [{ ...defaultProducer, autoscaling: { ...defaultProducer.autoscaling, query: 'vector(12000)' } }],
      autoscaler: {
        budget: { currency: 'USD', maxPerHour: 200 },
        prometheus: { url: endpoints.prometheus },
        pollIntervalSeconds: 2,
      },
    };
    const valuesPath = join(scratch, 'values.json');
    writeFileSync(valuesPath, JSON.stringify(values));
    const install = await helm(['install', 'tormenta', CHART, '-n', ns.name, '-f', valuesPath, '--wait', '--timeout', '120s']);
    expect(install.code).toBe(0);
    const before = await apps.readNamespacedDeployment({ name: 'tormenta-producer-push', namespace: ns.name });
    expect(before.spec!.replicas).toBe(1);

    const kubeconfig = await serviceAccountKubeconfig(ns.name, 'tormenta-autoscaler');
    const deployment = await apps.readNamespacedDeployment({ name: 'tormenta-autoscaler', namespace: ns.name });
    const chartEnv = Object.fromEntries(
      (deployment.spec!.template.spec!.containers[0]!.env ?? [])
        .filter((e) => e.value !== undefined)
        .map((e) => [e.name, e.value!]),
    );
    const port = await freePort();
    controller = spawn(join(repo, 'scripts', 'node24.sh'), ['node', 'services/autoscaler/src/main.ts'], {
      cwd: repo,
      env: {
        PATH: process.env.PATH,
        HOME: scratch,
        KUBECONFIG: kubeconfig,
        ...chartEnv,
        // What the downward API gives the pod.
        AUTOSCALER_NAMESPACE: ns.name,
        AUTOSCALER_IDENTITY: 'tormenta-autoscaler-local',
        AUTOSCALER_HTTP_HOST: '127.0.0.1',
        AUTOSCALER_HTTP_PORT: String(port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    controller.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    controller.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));

    await eventually(
      `tormenta-producer-push scaled to 3 (controller output:\n${output})`,
      async () => {
        if (controller!.exitCode !== null) throw new Error(`autoscaler exited ${controller!.exitCode}: ${output}`);
        const producer = await apps.readNamespacedDeployment({ name: 'tormenta-producer-push', namespace: ns.name });
        return producer.spec!.replicas === 3 ? true : undefined;
      },
      90_000,
    );
    const lease = await leases.readNamespacedLease({ name: 'tormenta-autoscaler', namespace: ns.name });
    expect(lease.spec!.holderIdentity).toBe('tormenta-autoscaler-local');
    // The controller posts its Event after the scale write waited for above.
    await eventually(
      'an Event from tormenta-autoscaler',
      async () => {
        const events = (await core.listNamespacedEvent({ namespace: ns.name })).items.filter(
          (event) => event.source?.component === 'tormenta-autoscaler' || event.reportingComponent === 'tormenta-autoscaler',
        );
        return events.length > 0 ? true : undefined;
      },
      15_000,
    );
    await eventually('the scaled producer Available with 3 replicas', async () => {
      const producer = await apps.readNamespacedDeployment({ name: 'tormenta-producer-push', namespace: ns.name });
      return producer.status?.availableReplicas === 3 ? true : undefined;
    });
  }, 240_000);
});
