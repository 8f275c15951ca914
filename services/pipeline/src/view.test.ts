import { describe, expect, it } from '@jest/globals';
import type { Sample } from './observe.ts';
import { renderRunPlot } from './plot.ts';
import { describeRejections, describeStored, renderSummary, renderView, summarize } from './view.ts';
import type { StormTally } from './storm.ts';

const sample = (t: number, overrides: Partial<Sample> = {}): Sample => ({
  t,
  phase: 'baseline',
  stormRate: 200,
  acceptedTotal: 200 * t,
  offered: 440.9,
  accepted: 200,
  rejected: 240.9,
  rejectedByReason: { rate_limited: 220.4, kafka_unavailable: 20.5 },
  replicas: 3,
  readyReplicas: 2,
  desired: 3,
  demand: 3,
  cap: 6,
  spendPerHour: 30,
  budgetPerHour: 60,
  lag: 12,
  rowsWritten: 180 * t,
  rowsStored: 180 * t,
  ...overrides,
});

const tally: StormTally = {
  offered: 1_000,
  accepted: 900,
  rejected: 100,
  failed: 0,
  statuses: { 200: 45, 429: 4, 503: 1 },
  rejectedByStatus: { 429: 80, 503: 20 },
};
const context = {
  profile: 'spike',
  phases: [{ name: 'baseline', rate: 200, seconds: 60 }],
  capacityPerReplica: 250,
  enrichedTable: 'T',
};

describe('live view', () => {
  it('names each rejection reason with its status instead of calling them all 429', () => {
    expect(describeRejections({ rate_limited: 220.4, kafka_unavailable: 20.5, invalid: 0.2 })).toBe(
      "429 over the replicas' capacity 220/s · 503 Kafka unavailable 21/s",
    );
    expect(describeRejections({})).toBe('none');
  });

  it('shows the processes with their restarts and the last restart reason', () => {
    const view = renderView(sample(10), tally, context, [
      { name: 'fleet', pid: 101, state: 'running', restarts: 0, lastRestart: null },
      {
        name: 'consumer',
        pid: null,
        state: 'restarting',
        restarts: 2,
        lastRestart: { at: '2026-12-02T10:00:00.000Z', reason: 'killed (SIGKILL)' },
      },
    ]);
    expect(view).toContain('fleet      running (pid 101) · restarts 0');
    expect(view).toMatch(/consumer {3}restarting · restarts 2 · last: killed \(SIGKILL\) at /);
    expect(view).toContain('(429 over capacity 80 · 503 Kafka unavailable or draining 20)');
    expect(view).not.toContain('429: over the running replicas');
  });
});

describe('summary', () => {
  it('compares accepted records with rows stored and names the lag left', () => {
    expect(describeStored({ accepted: 900, rowsStored: 900, lagLeft: 0 })).toBe(
      'stored: 900 rows for 900 accepted records — all stored; consumer lag left 0 records',
    );
    expect(describeStored({ accepted: 900, rowsStored: 850, lagLeft: 50 })).toBe(
      'stored: 850 rows for 900 accepted records — 50 not stored yet; consumer lag left 50 records (the consumer has them still to write)',
    );
    expect(describeStored({ accepted: 900, rowsStored: 800, lagLeft: 10 })).toContain('MORE missing than the lag explains');
    expect(describeStored({ accepted: 900, rowsStored: null, lagLeft: null })).toBe(
      'stored: rows could not be counted; consumer lag unknown',
    );
  });

  it('lists the processes that were restarted', () => {
    const summary = summarize({
      samples: [sample(1), sample(2)],
      tally,
      budgetCap: 6,
      budgetPerHour: 60,
      rowsStored: 900,
      lagLeft: 0,
      processes: [
        { name: 'fleet', pid: 1, state: 'running', restarts: 0, lastRestart: null },
        { name: 'consumer', pid: 2, state: 'running', restarts: 1, lastRestart: { at: '', reason: 'killed (SIGKILL)' } },
      ],
    });
    const text = renderSummary(summary);
    expect(text).toContain('rejected 100 (429 over capacity 80, 503 Kafka unavailable or draining 20)');
    expect(text).toContain('restarts: consumer 1 (last: killed (SIGKILL))');
  });
});

describe('run plot', () => {
  const svg = renderRunPlot(
    Array.from({ length: 120 }, (_, index) => sample(index + 1, { offered: 1_763.6 * Math.min(1, index / 60) })),
    { title: 'test', capacityPerReplica: 250, budgetPerHour: 60, currency: 'USD' },
  );
  const tickLabels = [...svg.matchAll(/text-anchor="end">([^<]+)</g)].map((match) => match[1]);

  it('draws accepted, rejected by reason, rows stored and lag beside offered load, capacity and replicas', () => {
    for (const label of [
      'offered',
      'accepted',
      'capacity (ready replicas)',
      "429 over the replicas' capacity",
      '503 Kafka unavailable',
      'rows stored',
      'lag',
      'budget cap',
    ]) {
      expect(svg).toContain(label);
    }
  });

  it('puts every axis on round ticks and the replicas on whole numbers', () => {
    expect(tickLabels).toContain('2 000');
    expect(tickLabels).toContain('500');
    for (const label of tickLabels) expect(label).toMatch(/^(\d{1,3}( \d{3})*|\d+\.\d+|[\d.]+M)$/);
    expect(tickLabels.some((label) => /\.\d{2,}/.test(label!))).toBe(false);
    expect(svg).not.toContain('440.9');
  });
});
