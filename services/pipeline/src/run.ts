// Runs a storm through a started pipeline and watches it once a second, until the storm is over and the consumer has
// caught up (or the caller aborts).
import { setTimeout as sleep } from 'node:timers/promises';
import { INITIAL_CARRY, observe } from './observe.ts';
import type { Sample } from './observe.ts';
import type { Pipeline } from './pipeline.ts';
import { phaseAt } from './profiles.ts';
import type { StormPhase } from './profiles.ts';
import { Storm } from './storm.ts';
import type { StormOptions, StormTally } from './storm.ts';

export interface RunOptions {
  pipeline: Pipeline;
  prometheusUrl: string;
  namespace: string;
  phases: readonly StormPhase[];
  pool: StormOptions['pool'];
  runId: string;
  keepAccepted?: boolean;
  onAccepted?: StormOptions['onAccepted'];
  onSample?: (sample: Sample, tally: StormTally) => void;
  /** Seconds to keep watching after the storm for the consumer to drain. */
  drainSeconds?: number;
  signal: AbortSignal;
}

export interface RunResult {
  samples: Sample[];
  tally: StormTally;
  storm: Storm;
  seconds: number;
}

export async function runStorm(options: RunOptions): Promise<RunResult> {
  const storm = new Storm({
    ingestUrl: options.pipeline.ingestUrl,
    phases: options.phases,
    pool: options.pool,
    runId: options.runId,
    keepAccepted: options.keepAccepted,
    onAccepted: options.onAccepted,
  });
  const samples: Sample[] = [];
  const began = performance.now();
  let stormDone = false;
  let drainUntil = Number.POSITIVE_INFINITY;
  const running = storm.run(options.signal).finally(() => {
    stormDone = true;
    drainUntil = performance.now() + (options.drainSeconds ?? 15) * 1000;
  });
  let lastOffered = 0;
  const rows = { carry: INITIAL_CARRY };
  for (let second = 1; !options.signal.aborted; second += 1) {
    await sleep(Math.max(0, began + second * 1000 - performance.now()));
    const t = (performance.now() - began) / 1000;
    const fleet = await options.pipeline
      .refreshFleet()
      .catch(() => ({ replicas: Number.NaN, readyReplicas: Number.NaN, maxReplicas: 0, workers: [] }));
    const phase = stormDone ? 'draining' : (phaseAt(options.phases, t)?.name ?? 'draining');
    const stormRate = storm.tally.offered - lastOffered;
    lastOffered = storm.tally.offered;
    const sample = await observe(
      options.prometheusUrl,
      options.namespace,
      fleet,
      { t, phase, stormRate, acceptedTotal: storm.tally.accepted },
      rows,
    );
    samples.push(sample);
    options.onSample?.(sample, storm.tally);
    if (stormDone && (performance.now() > drainUntil || (sample.lag === 0 && sample.rowsStored >= storm.tally.accepted))) break;
  }
  const tally = await running;
  return { samples, tally, storm, seconds: (performance.now() - began) / 1000 };
}
