// The live terminal view (redrawn every second) and the end-of-run summary and plot.
import { renderSimulationSvg } from '@tormenta/autoscaler';
import type { Sample } from './observe.ts';
import type { StormPhase } from './profiles.ts';
import type { StormTally } from './storm.ts';

const num = (value: number, digits = 0): string => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const bar = (value: number, max: number, width = 30): string => {
  if (!Number.isFinite(value) || max <= 0) return ' '.repeat(width);
  const filled = Math.max(0, Math.min(width, Math.round((value / max) * width)));
  return '█'.repeat(filled) + '·'.repeat(width - filled);
};

export interface ViewContext {
  profile: string;
  phases: readonly StormPhase[];
  capacityPerReplica: number;
  enrichedTable: string;
}

export function renderView(sample: Sample, tally: StormTally, context: ViewContext): string {
  const peak = Math.max(...context.phases.map((phase) => phase.rate)) * 1.1;
  const total = context.phases.reduce((sum, phase) => sum + phase.seconds, 0);
  return [
    `tormenta · profile ${context.profile} · t=${num(sample.t)}s of ${total}s · phase: ${sample.phase}`,
    '',
    `offered   ${bar(sample.offered, peak)} ${num(sample.offered)} rec/s   (storm sent ${sample.stormRate} in the last second)`,
    `accepted  ${bar(sample.accepted, peak)} ${num(sample.accepted)} rec/s   capacity ${num(sample.readyReplicas * context.capacityPerReplica)} rec/s`,
    `rejected  ${bar(sample.rejected, peak)} ${num(sample.rejected)} rec/s   (429: over the running replicas' capacity)`,
    '',
    `replicas  running ${num(sample.readyReplicas)} / spec ${num(sample.replicas)} · desired ${num(sample.desired)} · demand ${num(sample.demand)} · budget cap ${num(sample.cap)}`,
    `spend     ${num(sample.spendPerHour, 1)} USD/h of ${num(sample.budgetPerHour, 1)} USD/h  ${bar(sample.spendPerHour, sample.budgetPerHour, 20)}`,
    `consumer  lag ${num(sample.lag)} records · rows written to ${context.enrichedTable}: ${num(sample.rowsWritten)}`,
    `storm     offered ${tally.offered} · accepted ${tally.accepted} · rejected ${tally.rejected} · failed ${tally.failed}`,
    '',
    'Ctrl-C stops the pipeline (the stack stays up: npm run stack -- down)',
  ].join('\n');
}

export interface Summary {
  seconds: number;
  offered: number;
  accepted: number;
  rejected: number;
  failed: number;
  peakReplicas: number;
  budgetCap: number;
  capExceeded: boolean;
  peakSpendPerHour: number;
  budgetPerHour: number;
  rowsInTable: number | null;
}

export function summarize(
  samples: readonly Sample[],
  tally: StormTally,
  budgetCap: number,
  budgetPerHour: number,
  rowsInTable: number | null,
): Summary {
  const peakReplicas = Math.max(0, ...samples.map((sample) => sample.replicas).filter(Number.isFinite));
  return {
    seconds: samples.at(-1)?.t ?? 0,
    offered: tally.offered,
    accepted: tally.accepted,
    rejected: tally.rejected,
    failed: tally.failed,
    peakReplicas,
    budgetCap,
    capExceeded: peakReplicas > budgetCap,
    peakSpendPerHour: Math.max(0, ...samples.map((sample) => sample.spendPerHour).filter(Number.isFinite)),
    budgetPerHour,
    rowsInTable,
  };
}

export function renderSummary(summary: Summary): string {
  const share = summary.offered === 0 ? 0 : (100 * summary.accepted) / summary.offered;
  return [
    `run: ${summary.seconds.toFixed(0)} s · offered ${summary.offered} · accepted ${summary.accepted} (${share.toFixed(1)}%) · rejected ${summary.rejected} · failed ${summary.failed}`,
    `replicas: peak ${summary.peakReplicas}, budget cap ${summary.budgetCap} (${summary.capExceeded ? 'EXCEEDED' : 'never exceeded'}); peak spend ${summary.peakSpendPerHour.toFixed(1)} of ${summary.budgetPerHour} USD/h`,
    summary.rowsInTable === null ? '' : `rows in the enriched table now: ${summary.rowsInTable}`,
  ]
    .filter(Boolean)
    .join('\n');
}

export function renderPlot(samples: readonly Sample[], context: ViewContext, budgetPerHour: number): string {
  const fill = (value: number): number => (Number.isFinite(value) ? value : 0);
  return renderSimulationSvg({
    scenario: `npm start (${context.profile})`,
    // Rates only: the title line has room for the profile, not for every phase's name and length.
    description: context.phases.map((phase) => `${phase.rate}/s`).join(' → '),
    durationSeconds: Math.max(1, samples.at(-1)?.t ?? 1),
    currency: 'USD',
    budgetPerHour,
    targets: [{ name: 'producer' }],
    series: samples.map((sample) => ({
      t: sample.t,
      offered: fill(sample.offered),
      capacity: [fill(sample.readyReplicas) * context.capacityPerReplica],
      replicas: [fill(sample.replicas)],
      cap: [fill(sample.cap)],
      spendPerHour: fill(sample.spendPerHour),
    })),
  });
}
