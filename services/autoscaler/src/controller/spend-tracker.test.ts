// The budget over time through the reconciler: spend charged per pass, persisted in a store two reconcilers share (a
// leader change), the hourly cap tightened by a day budget, and the 80 % / 100 % announcements made once.
import { describe, expect, it } from '@jest/globals';
import type { V1Scale } from '@kubernetes/client-node';
import { parseAutoscalerConfig } from '../config/schema.ts';
import type { EventReason } from '../kube/events.ts';
import { createAutoscalerMetrics } from './metrics.ts';
import { Reconciler } from './reconciler.ts';
import type { SpendStore } from './spend-tracker.ts';

const MIDNIGHT = Date.parse('2026-03-10T00:00:00Z') / 1000;

function config(budget: Record<string, number>) {
  return parseAutoscalerConfig({
    budget: { currency: 'USD', ...budget },
    pollIntervalSeconds: 15,
    prometheus: { url: 'http://127.0.0.1:9' },
    startupGraceSeconds: 0,
    targets: [
      {
        name: 'producer',
        kind: 'Deployment',
        namespace: 'tormenta',
        costPerReplicaHour: 10,
        minReplicas: 1,
        maxReplicas: 100,
        metric: { query: 'rate', targetPerReplica: 100 },
        behavior: { scaleUp: { policies: [{ type: 'Pods', value: 100, periodSeconds: 15 }] } },
      },
    ],
  });
}

function world() {
  const stored: { text?: string } = {};
  const store: SpendStore = {
    load: async () => stored.text,
    save: async (text) => {
      stored.text = text;
      return true;
    },
  };
  const state = { now: MIDNIGHT, replicas: 1, rate: 1_000 };
  const events: { reason: EventReason; message: string }[] = [];
  const reconciler = () =>
    new Reconciler({
      readMetric: async () => ({ kind: 'value', value: state.rate }),
      readScale: async () => ({ replicas: state.replicas, pausedByAnnotation: false, scale: {} as V1Scale }),
      writeScale: async (_target, _observed, replicas) => void (state.replicas = replicas),
      events: { record: async (_object, reason, message) => void events.push({ reason, message }) },
      metrics: createAutoscalerMetrics(),
      now: () => state.now,
      spendStore: store,
    });
  return { stored, state, events, reconciler };
}

describe('spend over time', () => {
  it('charges replica-seconds × cost and a new leader resumes from the stored ledger, the gap included', async () => {
    const { state, reconciler } = world();
    const permission = { leading: () => true, dryRun: false };
    const first = reconciler();
    const settings = config({ maxPerHour: 200 });
    await first.pass(settings, permission); // 1 → 10 replicas (demand 1 000 / 100)
    expect(state.replicas).toBe(10);
    state.now += 360;
    const [status] = await first.pass(settings, permission);
    // 10 replicas × 10 USD/h for 6 min.
    expect(status!.spend).toEqual({ perHour: 100, hour: 10, day: 10, month: 10 });

    // The first leader dies; 6 min later another starts from the store and charges the gap at what ran.
    state.now += 360;
    const second = reconciler();
    const [resumed] = await second.pass(settings, permission);
    expect(resumed!.spend.day).toBeCloseTo(20, 9);
    expect(second.budgetStatus).toMatchObject({ effectivePerHour: 200, boundBy: 'hour', spendPerHour: 100 });
  });

  it('tightens the hourly cap so the day budget holds, and announces 80 % and 100 % once each', async () => {
    const { state, events, reconciler } = world();
    const permission = { leading: () => true, dryRun: false };
    const autoscaler = reconciler();
    // 300 USD for the day; the first hour may spend what leaves the minimum (10 USD/h) paid for the other 23 h: 70.
    const settings = config({ maxPerHour: 200, maxPerDay: 300 });
    const [first] = await autoscaler.pass(settings, permission);
    expect(autoscaler.budgetStatus?.effectivePerHour).toBe(70);
    expect(first!.decision).toMatchObject({ replicas: 7, boundBy: 'budget', reason: 'BudgetCapReached' });
    expect(first!.inputs.budgetDerivation).toBe("maxPerHour 200 tightened to 70 so the day's budget holds");
    // 7 replicas for the rest of the day would cost 1 680: projected over the budget at once.
    expect(events.filter((event) => event.reason.startsWith('Spend')).map((event) => event.reason)).toEqual([
      'SpendProjectedOverBudget',
    ]);
    let spent = 0;
    for (let pass = 0; pass < 24 * 240 - 1; pass += 1) {
      state.now += 15;
      const [status] = await autoscaler.pass(settings, permission);
      spent = status!.spend.day;
      expect(spent).toBeLessThanOrEqual(300 + 1e-6);
    }
    expect(spent).toBeGreaterThan(290);
    expect(events.filter((event) => event.reason.startsWith('Spend'))).toHaveLength(1);
  });

  it('remembers across a restart that it cut a target to 0, so the target comes back when the budget does', async () => {
    const { state, reconciler } = world();
    const permission = { leading: () => true, dryRun: false };
    await reconciler().pass(config({ maxPerHour: 5 }), permission);
    expect(state.replicas).toBe(0);
    state.now += 60;
    const [status] = await reconciler().pass(config({ maxPerHour: 200 }), permission);
    expect(status!.decision.reason).not.toBe('ScalingDisabled');
    expect(state.replicas).toBeGreaterThan(0);
  });

  it('leaves a target someone else scaled to 0 alone (ScalingDisabled)', async () => {
    const { state, reconciler } = world();
    state.replicas = 0;
    const [status] = await reconciler().pass(config({ maxPerHour: 200 }), { leading: () => true, dryRun: false });
    expect(status!.decision).toMatchObject({ replicas: 0, reason: 'ScalingDisabled' });
    expect(state.replicas).toBe(0);
  });
});
