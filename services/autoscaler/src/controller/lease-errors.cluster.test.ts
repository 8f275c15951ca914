// No silent standby: an autoscaler whose Lease the API server refuses (here: a Lease name its Role does not grant) logs
// it, counts it and reports not ready with the reason, instead of idling as if another replica led.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestNamespace, eventually } from '../../../../test/cluster/helpers.ts';
import type { TestNamespace } from '../../../../test/cluster/helpers.ts';
import {
  CHART_PRODUCER,
  createWorkload,
  grantAutoscalerRole,
  startAutoscaler,
  writeAutoscalerConfig,
} from '../../../../test/cluster/autoscaler-harness.ts';
import type { RunningAutoscaler } from '../../../../test/cluster/autoscaler-harness.ts';

describe('autoscaler that cannot reach its Lease', () => {
  let ns: TestNamespace;
  let autoscaler: RunningAutoscaler | undefined;

  beforeAll(async () => {
    ns = await createTestNamespace();
    const kubeconfig = await grantAutoscalerRole(ns.name);
    await createWorkload(ns.name, CHART_PRODUCER, 1);
    await writeAutoscalerConfig(ns.name, {
      budget: { currency: 'USD', maxPerHour: 100 },
      pollIntervalSeconds: 2,
      prometheus: { url: 'http://127.0.0.1:9' },
      targets: [
        {
          name: CHART_PRODUCER,
          kind: 'Deployment',
          namespace: ns.name,
          costPerReplicaHour: 10,
          minReplicas: 1,
          maxReplicas: 5,
          metric: { query: 'up', targetPerReplica: 1 },
        },
      ],
    });
    autoscaler = await startAutoscaler(ns.name, kubeconfig, 'autoscaler-denied', 6, { AUTOSCALER_LEASE: 'not-granted' });
  });

  afterAll(async () => {
    await autoscaler?.kill('SIGKILL');
    await ns?.delete();
  });

  it('is not ready, says why, counts the errors and logs once', async () => {
    const readiness = await eventually(
      'a not-ready answer naming the Lease',
      async () => {
        const response = await fetch(`${autoscaler!.url}/readyz`);
        const body = (await response.json()) as { message?: string };
        return response.status === 503 && body.message?.includes('Lease not-granted') === true ? body.message : undefined;
      },
      20_000,
    );
    expect(readiness).toMatch(/^cannot lead: Lease not-granted unreachable: .*forbidden/i);
    const metrics = await (await fetch(`${autoscaler!.url}/metrics`)).text();
    const errors = Number(/^tormenta_autoscaler_lease_errors_total (\S+)$/m.exec(metrics)?.[1]);
    expect(errors).toBeGreaterThanOrEqual(1);
    expect(metrics).toMatch(/^tormenta_autoscaler_lease_healthy 0$/m);
    expect(metrics).toMatch(/^tormenta_autoscaler_leader 0$/m);
    const logged = autoscaler!
      .output()
      .split('\n')
      .filter((line) => line.includes('Lease store error'));
    expect(logged).toHaveLength(1);
  });
});
