// The project's one seeded PRNG, for whatever must be the same on every run and every machine: the sample dataset
// (data/dataset.ts) and the simulator's traffic noise (@tormenta/autoscaler). mulberry32: a 32-bit state, tiny and fast;
// not for anything secret.
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
