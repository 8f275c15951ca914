// The budget over time and the status on a real API server: the leader writes its status ConfigMap (kubectl describe
// shows the HPA-style conditions), keeps the spend ledger in the Lease, and a standby that takes over resumes the
// day's spend instead of starting from 0.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CoordinationV1Api } from '@kubernetes/client-node';
import { startGaugeExporter } from '../../../../test/stack/gauge-exporter.ts';
import type { GaugeExporter } from '../../../../test/stack/gauge-exporter.ts';
import { privatePrometheus } from '../../../../test/stack/private-prometheus.ts';
import type { PrivatePrometheus } from '../../../../test/stack/private-prometheus.ts';
import { freePort } from '../../../../test/stack/processes.ts';
import { adminConfig, createTestNamespace, eventually, kubectl } from '../../../../test/cluster/helpers.ts';
import type { TestNamespace } from '../../../../test/cluster/helpers.ts';
import {
  AUTOSCALER_CONFIGMAP,
  autoscalerStatus,
  CHART_PRODUCER,
  createWorkload,
  grantAutoscalerRole,
  replicasOf,
  startAutoscaler,
  writeAutoscalerConfig,
} from '../../../../test/cluster/autoscaler-harness.ts';
import type { RunningAutoscaler } from '../../../../test/cluster/autoscaler-harness.ts';
import { parseLedger } from '../budget/ledger.ts';

const STATUS = `${AUTOSCALER_CONFIGMAP}-status`;

describe('budget over time and status on a real API server', () => {
  let ns: TestNamespace;
  let exporter: GaugeExporter;
  let prometheus: PrivatePrometheus;
  let kubeconfig: string;
  const running: RunningAutoscaler[] = [];

  const daySpend = async (): Promise<number> => {
    const status = (await (await fetch(`${running.at(-1)!.url}/status`)).json()) as { targets: { spend: { day: number } }[] };
    return status.targets[0]?.spend.day ?? 0;
  };
  const leaseLedger = async () => {
    const lease = await adminConfig()
      .makeApiClient(CoordinationV1Api)
      .readNamespacedLease({ name: AUTOSCALER_CONFIGMAP, namespace: ns.name });
    return parseLedger(lease.metadata?.annotations?.['tormenta.io/checkpoint']);
  };

  beforeAll(async () => {
    ns = await createTestNamespace();
    exporter = await startGaugeExporter();
    exporter.set('tormenta_test_offered_rate', { target: CHART_PRODUCER }, 80_000);
    prometheus = privatePrometheus(await freePort(), [exporter.target]);
    await prometheus.start();
    kubeconfig = await grantAutoscalerRole(ns.name);
    await createWorkload(ns.name, CHART_PRODUCER, 1);
    await writeAutoscalerConfig(ns.name, {
      budget: { currency: 'USD', maxPerHour: 200, maxPerDay: 100_000, maxPerMonth: 1_000_000 },
      pollIntervalSeconds: 2,
      prometheus: { url: prometheus.url },
      startupGraceSeconds: 0,
      targets: [
        {
          name: CHART_PRODUCER,
          kind: 'Deployment',
          namespace: ns.name,
          costPerReplicaHour: 10,
          minReplicas: 1,
          maxReplicas: 100,
          metric: { query: `max(tormenta_test_offered_rate{target="${CHART_PRODUCER}"})`, targetPerReplica: 1_000 },
          behavior: { scaleUp: { policies: [{ type: 'Percent', value: 1000, periodSeconds: 1 }] } },
        },
      ],
    });
    running.push(await startAutoscaler(ns.name, kubeconfig, 'budget-a'));
    await eventually('a leader', async () => ((await autoscalerStatus(running[0]!)).leader ? true : undefined), 30_000);
  });

  afterAll(async () => {
    for (const autoscaler of running) await autoscaler.kill('SIGKILL');
    await prometheus?.stop();
    await exporter?.close();
    await ns?.delete();
  });

  it('writes a status ConfigMap kubectl describes with the HPA conditions, demand, cap and spend', async () => {
    await eventually('20 replicas', async () => ((await replicasOf(ns.name, CHART_PRODUCER)) === 20 ? true : undefined), 30_000);
    const described = await eventually(
      'the status ConfigMap at the cap',
      async () => {
        const result = await kubectl(['describe', 'configmap', STATUS, '-n', ns.name]);
        return result.code === 0 && /ScalingLimited[\s\S]*BudgetCapReached/.test(result.stdout) ? result.stdout : undefined;
      },
      20_000,
    );
    expect(described).toMatch(new RegExp(`${CHART_PRODUCER}\\s+80\\s+20\\s+20\\s+20\\s+200\\.00`));
    for (const text of ['type: AbleToScale', 'type: ScalingActive', 'reason: ValidMetricFound', 'perHour: 200', 'month:']) {
      expect(described).toContain(text);
    }
    const summary = await kubectl(['get', 'configmap', STATUS, '-n', ns.name, '-o', 'jsonpath={.data.summary}']);
    expect(summary.stdout).toMatch(/^day: spent \d+\.\d\d, projected \d+\.\d\d of 100000\.00/m);
  });

  it('keeps the spend in the Lease and a new leader resumes it', async () => {
    await eventually(
      'spend in the Lease',
      async () => (((await leaseLedger())?.windows.day.total ?? 0) > 0 ? true : undefined),
      20_000,
    );
    const before = await daySpend();
    expect(before).toBeGreaterThan(0);
    const standby = await startAutoscaler(ns.name, kubeconfig, 'budget-b');
    running.push(standby);
    await running[0]!.kill('SIGKILL');
    await eventually('the standby leading', async () => ((await autoscalerStatus(standby)).leader ? true : undefined), 30_000);
    const after = await eventually(
      'a pass by the new leader',
      async () => {
        const spend = await daySpend();
        return spend > 0 ? spend : undefined;
      },
      20_000,
    );
    // 20 replicas × 10 USD/h kept running through the handover: charged, not forgotten.
    expect(after).toBeGreaterThan(before);
    const ledger = await leaseLedger();
    expect(ledger?.running[CHART_PRODUCER]).toMatchObject({ replicas: 20, costPerReplicaHour: 10 });
  });
});
