// The autoscaler process against a real kube-apiserver (KWOK pods) and a real Prometheus scraping a rate the test sets.
// One story, in order: 5× up, back down after the window, 100× stopped at the budget cap, the cap changed live, an
// invalid edit rejected, Prometheus down and back, a paused target left alone, the leader killed.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AppsV1Api } from '@kubernetes/client-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { startGaugeExporter } from '../../../../test/stack/gauge-exporter.ts';
import type { GaugeExporter } from '../../../../test/stack/gauge-exporter.ts';
import { privatePrometheus } from '../../../../test/stack/private-prometheus.ts';
import type { PrivatePrometheus } from '../../../../test/stack/private-prometheus.ts';
import { freePort } from '../../../../test/stack/processes.ts';
import { adminConfig, createTestNamespace, eventually, kubectl } from '../../../../test/cluster/helpers.ts';
import type { TestNamespace } from '../../../../test/cluster/helpers.ts';
import {
  autoscalerStatus,
  CHART_PRODUCER,
  createWorkload,
  eventReasons,
  eventRecorded,
  grantAutoscalerRole,
  metricValue,
  replicasOf,
  startAutoscaler,
  writeAutoscalerConfig,
} from '../../../../test/cluster/autoscaler-harness.ts';
import type { RunningAutoscaler } from '../../../../test/cluster/autoscaler-harness.ts';
import { explainLive } from '../explain/live.ts';
import { PAUSE_ANNOTATION } from '../kube/scale-targets.ts';

const TARGET = CHART_PRODUCER;
const POLL_SECONDS = 2;
const SCALE_DOWN_WINDOW_SECONDS = 20;
const PER_REPLICA = 1_000;

describe('autoscaler on a real API server and a real Prometheus', () => {
  let ns: TestNamespace;
  let exporter: GaugeExporter;
  let prometheus: PrivatePrometheus;
  let kubeconfig: string;
  const running: RunningAutoscaler[] = [];
  const setRate = (value: number): void => exporter.set('tormenta_test_offered_rate', { target: TARGET }, value);

  function config(overrides: { maxPerHour?: number; minReplicas?: number } = {}) {
    return {
      budget: { currency: 'USD', maxPerHour: overrides.maxPerHour ?? 200 },
      pollIntervalSeconds: POLL_SECONDS,
      prometheus: { url: prometheus.url },
      failStaticAfter: 2,
      surge: { multiple: 1000, baselineWindowSeconds: 60, minSamples: 4 },
      targets: [
        {
          name: TARGET,
          kind: 'Deployment',
          namespace: ns.name,
          costPerReplicaHour: 10,
          minReplicas: overrides.minReplicas ?? 1,
          maxReplicas: 100,
          metric: { query: `max(tormenta_test_offered_rate{target="${TARGET}"})`, targetPerReplica: PER_REPLICA },
          behavior: {
            scaleUp: {
              stabilizationWindowSeconds: 0,
              selectPolicy: 'Max',
              policies: [{ type: 'Percent', value: 1000, periodSeconds: 1 }],
            },
            scaleDown: {
              stabilizationWindowSeconds: SCALE_DOWN_WINDOW_SECONDS,
              selectPolicy: 'Max',
              policies: [{ type: 'Percent', value: 100, periodSeconds: 1 }],
            },
          },
        },
      ],
    };
  }

  const replicasBecome = (expected: number, timeoutMs: number) =>
    eventually(
      `${TARGET} at ${expected} replicas`,
      async () => ((await replicasOf(ns.name, TARGET)) === expected ? true : undefined),
      timeoutMs,
    );

  beforeAll(async () => {
    ns = await createTestNamespace();
    exporter = await startGaugeExporter();
    setRate(800);
    prometheus = privatePrometheus(await freePort(), [exporter.target]);
    await prometheus.start();
    kubeconfig = await grantAutoscalerRole(ns.name);
    await createWorkload(ns.name, TARGET, 1);
    await writeAutoscalerConfig(ns.name, config());
    running.push(await startAutoscaler(ns.name, kubeconfig, 'autoscaler-a'));
    await eventually('a leader', async () => ((await autoscalerStatus(running[0]!)).leader ? true : undefined), 30_000).catch(
      (error: unknown) => {
        throw new Error(`${String(error)}\nautoscaler output:\n${running[0]!.output()}`);
      },
    );
  });

  afterAll(async () => {
    for (const autoscaler of running) await autoscaler.kill('SIGKILL');
    await prometheus?.stop();
    await exporter?.close();
    await ns?.delete();
  });

  it('holds one replica at the baseline, then follows a 5× rise within two loop periods of Prometheus seeing it', async () => {
    await sleep(3 * POLL_SECONDS * 1000);
    expect(await replicasOf(ns.name, TARGET)).toBe(1);
    setRate(4_000);
    const began = Date.now();
    // 1 s scrape + two 2 s loop periods, with slack for a loaded 2-core machine.
    await replicasBecome(4, 2 * POLL_SECONDS * 1000 + 1_000 + 6_000);
    expect(Date.now() - began).toBeLessThan(11_000);
    await eventRecorded(ns.name, TARGET, 'ScaledUp');
  });

  it('scales back down only after the stabilization window', async () => {
    setRate(800);
    const fell = Date.now();
    await sleep((SCALE_DOWN_WINDOW_SECONDS / 2) * 1000);
    expect(await replicasOf(ns.name, TARGET)).toBe(4);
    await replicasBecome(1, SCALE_DOWN_WINDOW_SECONDS * 1000 + 15_000);
    expect(Date.now() - fell).toBeGreaterThanOrEqual(SCALE_DOWN_WINDOW_SECONDS * 1000 - 1_000);
    await eventRecorded(ns.name, TARGET, 'ScaledDown');
  });

  it('stops a 100× rise at the budget cap (200 USD/h ÷ 10 USD = 20) with an Event and the demand-over-cap metric', async () => {
    setRate(80_000);
    await replicasBecome(20, 20_000);
    await sleep(2 * POLL_SECONDS * 1000);
    expect(await replicasOf(ns.name, TARGET)).toBe(20);
    await eventRecorded(ns.name, TARGET, 'BudgetCapReached');
    expect(await metricValue(running[0]!, 'tormenta_autoscaler_budget_cap_replicas', TARGET)).toBe(20);
    expect(await metricValue(running[0]!, 'tormenta_autoscaler_demand_over_cap_replicas', TARGET)).toBe(60);
    expect(await metricValue(running[0]!, 'tormenta_autoscaler_spend_per_hour', TARGET)).toBe(200);
    // `explain --live` shows the same decision, step by step, from the running controller.
    const explanation = await explainLive(running[0]!.url, TARGET);
    expect(explanation).toContain(`target ${TARGET}: 20 replicas now`);
    expect(explanation).toMatch(/bound by budget, reason BudgetCapReached/);
  });

  it('applies a budget edited in the ConfigMap live', async () => {
    await writeAutoscalerConfig(ns.name, config({ maxPerHour: 100 }));
    await replicasBecome(10, 20_000);
    // The gauges are set after the scale write this test waited for.
    await eventually(
      'the budget-cap gauge at 10',
      async () => ((await metricValue(running[0]!, 'tormenta_autoscaler_budget_cap_replicas', TARGET)) === 10 ? true : undefined),
      10_000,
    );
  });

  it('rejects an invalid ConfigMap with an Event and keeps the last valid config', async () => {
    const before = (await autoscalerStatus(running[0]!)).configVersion;
    await writeAutoscalerConfig(ns.name, {
      ...config({ maxPerHour: 500 }),
      targets: [{ ...config().targets[0], minReplicas: 7, maxReplicas: 3 }],
    });
    await eventually(
      'ConfigRejected',
      async () => ((await eventReasons(ns.name, 'tormenta-autoscaler')).includes('ConfigRejected') ? true : undefined),
      20_000,
    );
    await sleep(3 * POLL_SECONDS * 1000);
    expect(await replicasOf(ns.name, TARGET)).toBe(10);
    expect((await autoscalerStatus(running[0]!)).configVersion).toBe(before);
    await writeAutoscalerConfig(ns.name, config({ maxPerHour: 100 }));
  });

  it('holds the replicas with a MetricsUnavailable Event while Prometheus is down, and resumes when it is back', async () => {
    const unavailable = async (): Promise<number> =>
      (await eventReasons(ns.name, TARGET)).filter((reason) => reason === 'MetricsUnavailable').length;
    // A MetricsUnavailable from start-up (Prometheus had not scraped yet) must not satisfy this test.
    const before = await unavailable();
    await prometheus.stop();
    setRate(800);
    await eventually('a new MetricsUnavailable Event', async () => ((await unavailable()) > before ? true : undefined), 20_000);
    await sleep(SCALE_DOWN_WINDOW_SECONDS * 1000 + 2_000);
    expect(await replicasOf(ns.name, TARGET)).toBe(10);
    const metrics = await (await fetch(`${running[0]!.url}/metrics`)).text();
    const errors = metrics
      .split('\n')
      .filter((line) => line.startsWith('tormenta_autoscaler_metric_errors_total{') && line.includes(`target="${TARGET}"`))
      .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
    expect(errors).toBeGreaterThanOrEqual(2);

    await prometheus.start();
    await replicasBecome(1, SCALE_DOWN_WINDOW_SECONDS * 1000 + 20_000);
  });

  it('leaves a paused target to manual kubectl scale', async () => {
    const apps = adminConfig().makeApiClient(AppsV1Api);
    await apps.patchNamespacedDeployment({
      name: TARGET,
      namespace: ns.name,
      body: [{ op: 'add', path: `/metadata/annotations`, value: { [PAUSE_ANNOTATION]: 'true' } }],
    });
    const scaled = await kubectl(['scale', `deployment/${TARGET}`, '--replicas=3', '-n', ns.name]);
    expect(scaled.code).toBe(0);
    setRate(9_000);
    await sleep(4 * POLL_SECONDS * 1000);
    expect(await replicasOf(ns.name, TARGET)).toBe(3);
    await apps.patchNamespacedDeployment({
      name: TARGET,
      namespace: ns.name,
      body: [{ op: 'remove', path: `/metadata/annotations/${PAUSE_ANNOTATION.replace('/', '~1')}` }],
    });
    await replicasBecome(9, 20_000);
  });

  it('hands over to the standby within the lease time when the leader is killed', async () => {
    const standby = await startAutoscaler(ns.name, kubeconfig, 'autoscaler-b');
    running.push(standby);
    await sleep(2_000);
    expect((await autoscalerStatus(standby)).leader).toBe(false);
    await running[0]!.kill('SIGKILL');
    const killed = Date.now();
    // Up from 9 to the cap of 10: a scale-down would wait for the new leader's stabilization window.
    setRate(10_000);
    await replicasBecome(10, 30_000);
    // 6 s lease + one 2 s loop period + 1 s scrape, with slack.
    expect(Date.now() - killed).toBeLessThan(6_000 + 2 * POLL_SECONDS * 1000 + 1_000 + 5_000);
    expect((await autoscalerStatus(standby)).leader).toBe(true);
  });
});
