// Axis ticks a reader can take in at a glance: steps of 1, 2 or 5 times a power of ten (0, 500, 1 000 …), whole numbers
// on an axis of whole things (replicas), and an axis top that is itself a tick.
export interface Axis {
  /** The top of the axis: the last tick, at or above the largest value. */
  max: number;
  ticks: number[];
}

const STEPS = [1, 2, 5, 10];

/** About `count` intervals from 0 to at least `max`; `integer` keeps every tick a whole number. */
export function niceAxis(max: number, options: { count?: number; integer?: boolean } = {}): Axis {
  const count = options.count ?? 4;
  const top = Number.isFinite(max) && max > 0 ? max : 1;
  const raw = top / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  let step = STEPS.find((candidate) => candidate * magnitude >= raw - 1e-12)! * magnitude;
  if (options.integer === true) step = Math.max(1, Math.round(step));
  // Ticks are multiples of the step; rounding to its decimals keeps 0.30000000000000004 from becoming a label.
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  const intervals = Math.ceil(top / step - 1e-9);
  const ticks = Array.from({ length: intervals + 1 }, (_, index) => Number((index * step).toFixed(decimals)));
  return { max: ticks.at(-1)!, ticks };
}

/** A tick label: thousands grouped with a space (1 000, 25 000), millions as 1.5M. */
export function tickLabel(value: number): string {
  if (Math.abs(value) >= 1e6) return `${+(value / 1e6).toFixed(2)}M`;
  const [whole, fraction] = String(value).split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}
