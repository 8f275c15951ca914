// The live terminal view (redrawn every second) and the end-of-run summary and plot.
import type { Sample } from './observe.ts';
import { renderRunPlot } from './plot.ts';
import type { StormPhase } from './profiles.ts';
import { REJECT_REASONS, rejectionLabel, statusLabel } from './rejections.ts';
import type { StormTally } from './storm.ts';
import type { SupervisedStatus } from './supervision/supervisor.ts';

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

function reasonLabel(reason: string): string {
  const known = (REJECT_REASONS as Record<string, { status: number; meaning: string } | undefined>)[reason];
  return rejectionLabel({ status: known?.status ?? null, meaning: known?.meaning ?? reason });
}

/** "429 over the replicas' capacity 380/s · 503 Kafka unavailable 20/s", or "none". */
export function describeRejections(byReason: Readonly<Record<string, number>>): string {
  const parts = Object.entries(byReason)
    .filter(([, rate]) => Number.isFinite(rate) && rate >= 0.5)
    .map(([reason, rate]) => `${reasonLabel(reason)} ${num(rate)}/s`);
  return parts.length === 0 ? 'none' : parts.join(' · ');
}

/** One line per supervised process: pid, restarts, and the last restart's reason and time. */
export function describeProcesses(processes: readonly SupervisedStatus[]): string[] {
  return processes.map((entry) => {
    const state = entry.state === 'running' ? `running (pid ${entry.pid ?? '?'})` : entry.state;
    const last =
      entry.lastRestart === null
        ? ''
        : ` · last: ${entry.lastRestart.reason} at ${new Date(entry.lastRestart.at).toLocaleTimeString()}`;
    return `  ${entry.name.padEnd(10)} ${state} · restarts ${entry.restarts}${last}`;
  });
}

export function renderView(
  sample: Sample,
  tally: StormTally,
  context: ViewContext,
  processes: readonly SupervisedStatus[] = [],
): string {
  const peak = Math.max(...context.phases.map((phase) => phase.rate)) * 1.1;
  const total = context.phases.reduce((sum, phase) => sum + phase.seconds, 0);
  const refused = Object.entries(tally.rejectedByStatus)
    .map(([status, count]) => `${statusLabel(Number(status))} ${count}`)
    .join(' · ');
  return [
    `tormenta · profile ${context.profile} · t=${num(sample.t)}s of ${total}s · phase: ${sample.phase}`,
    '',
    `offered   ${bar(sample.offered, peak)} ${num(sample.offered)} rec/s   (storm sent ${sample.stormRate} in the last second)`,
    `accepted  ${bar(sample.accepted, peak)} ${num(sample.accepted)} rec/s   capacity ${num(sample.readyReplicas * context.capacityPerReplica)} rec/s`,
    `rejected  ${bar(sample.rejected, peak)} ${num(sample.rejected)} rec/s   ${describeRejections(sample.rejectedByReason)}`,
    '',
    `replicas  running ${num(sample.readyReplicas)} / spec ${num(sample.replicas)} · desired ${num(sample.desired)} · demand ${num(sample.demand)} · budget cap ${num(sample.cap)}`,
    `spend     ${num(sample.spendPerHour, 1)} USD/h of ${num(sample.budgetPerHour, 1)} USD/h  ${bar(sample.spendPerHour, sample.budgetPerHour, 20)}`,
    `consumer  lag ${num(sample.lag)} records · rows stored in ${context.enrichedTable} this run: ${num(sample.rowsStored)}`,
    `storm     offered ${tally.offered} · accepted ${tally.accepted} · rejected ${tally.rejected}${refused === '' ? '' : ` (${refused})`} · failed ${tally.failed}`,
    ...(processes.length === 0 ? [] : ['', 'processes', ...describeProcesses(processes)]),
    '',
    'Ctrl-C stops the pipeline (the stack stays up: npm run stack -- down)',
  ].join('\n');
}

export interface Summary {
  seconds: number;
  offered: number;
  accepted: number;
  rejected: number;
  /** Refused records by the HTTP status the storm got. */
  rejectedByStatus: Record<number, number>;
  failed: number;
  peakReplicas: number;
  budgetCap: number;
  capExceeded: boolean;
  peakSpendPerHour: number;
  budgetPerHour: number;
  /** Rows this run added to the enriched table (counted in HBase); null when it could not be counted. */
  rowsStored: number | null;
  /** The consumer group's lag on the topic after the run (Kafka's offsets); null when it could not be read. */
  lagLeft: number | null;
  restarts: { name: string; restarts: number; lastReason: string | null }[];
}

export interface SummaryInputs {
  samples: readonly Sample[];
  tally: StormTally;
  budgetCap: number;
  budgetPerHour: number;
  rowsStored: number | null;
  lagLeft: number | null;
  processes: readonly SupervisedStatus[];
}

export function summarize(inputs: SummaryInputs): Summary {
  const { samples, tally } = inputs;
  const peakReplicas = Math.max(0, ...samples.map((sample) => sample.replicas).filter(Number.isFinite));
  return {
    seconds: samples.at(-1)?.t ?? 0,
    offered: tally.offered,
    accepted: tally.accepted,
    rejected: tally.rejected,
    rejectedByStatus: { ...tally.rejectedByStatus },
    failed: tally.failed,
    peakReplicas,
    budgetCap: inputs.budgetCap,
    capExceeded: peakReplicas > inputs.budgetCap,
    peakSpendPerHour: Math.max(0, ...samples.map((sample) => sample.spendPerHour).filter(Number.isFinite)),
    budgetPerHour: inputs.budgetPerHour,
    rowsStored: inputs.rowsStored,
    lagLeft: inputs.lagLeft,
    restarts: inputs.processes.map((entry) => ({
      name: entry.name,
      restarts: entry.restarts,
      lastReason: entry.lastRestart?.reason ?? null,
    })),
  };
}

/** Accepted against stored: every acknowledged record must be a row; a gap is named with what explains it (lag). */
export function describeStored(summary: Pick<Summary, 'accepted' | 'rowsStored' | 'lagLeft'>): string {
  const lag = summary.lagLeft === null ? 'consumer lag unknown' : `consumer lag left ${summary.lagLeft} records`;
  if (summary.rowsStored === null) return `stored: rows could not be counted; ${lag}`;
  const missing = summary.accepted - summary.rowsStored;
  if (missing <= 0) return `stored: ${summary.rowsStored} rows for ${summary.accepted} accepted records — all stored; ${lag}`;
  const explained = summary.lagLeft !== null && summary.lagLeft >= missing;
  return `stored: ${summary.rowsStored} rows for ${summary.accepted} accepted records — ${missing} not stored yet; ${lag}${
    summary.lagLeft === null
      ? ''
      : explained
        ? ' (the consumer has them still to write)'
        : ' (MORE missing than the lag explains)'
  }`;
}

export function renderSummary(summary: Summary): string {
  const share = summary.offered === 0 ? 0 : (100 * summary.accepted) / summary.offered;
  const refused = Object.entries(summary.rejectedByStatus)
    .map(([status, count]) => `${statusLabel(Number(status))} ${count}`)
    .join(', ');
  const restarted = summary.restarts.filter((entry) => entry.restarts > 0);
  return [
    `run: ${summary.seconds.toFixed(0)} s · offered ${summary.offered} · accepted ${summary.accepted} (${share.toFixed(1)}%) · rejected ${summary.rejected}${refused === '' ? '' : ` (${refused})`} · failed ${summary.failed}`,
    describeStored(summary),
    `replicas: peak ${summary.peakReplicas}, budget cap ${summary.budgetCap} (${summary.capExceeded ? 'EXCEEDED' : 'never exceeded'}); peak spend ${summary.peakSpendPerHour.toFixed(1)} of ${summary.budgetPerHour} USD/h`,
    restarted.length === 0
      ? 'restarts: none'
      : `restarts: ${restarted.map((entry) => `${entry.name} ${entry.restarts} (last: ${entry.lastReason ?? '?'})`).join(', ')}`,
  ].join('\n');
}

export function renderPlot(samples: readonly Sample[], context: ViewContext, budgetPerHour: number): string {
  return renderRunPlot(samples, {
    // Rates only: the title line has room for the profile, not for every phase's name and length.
    title: `tormenta — npm start (${context.profile}): ${context.phases.map((phase) => `${phase.rate}/s`).join(' → ')}`,
    capacityPerReplica: context.capacityPerReplica,
    budgetPerHour,
    currency: 'USD',
  });
}
