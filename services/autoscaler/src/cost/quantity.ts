// Kubernetes resource quantities ("500m", "1.5", "128Mi", "1e9", "2G") as plain numbers: cores for CPU, bytes for memory.
// The grammar is apimachinery's resource.Quantity: a decimal number, then an optional decimal exponent (e3) or one
// suffix — binary (Ki … Ei) or decimal (n, u, m, "", k, M, G, T, P, E). "1E" is one exa, not an exponent without digits.
const SUFFIX_FACTORS: Readonly<Record<string, number>> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:[eE]([+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;

/** The quantity's value, or undefined when the text is not a quantity. */
export function parseQuantity(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) ? text : undefined;
  const match = QUANTITY.exec(text.trim());
  if (match === null) return undefined;
  const [, mantissa, exponent, suffix] = match;
  const value = Number(mantissa) * (exponent === undefined ? SUFFIX_FACTORS[suffix ?? '']! : 10 ** Number(exponent));
  return Number.isFinite(value) ? value : undefined;
}

export const BYTES_PER_GIB = 2 ** 30;
