// How a service reads its settings: the environment variables under its prefix (PRODUCER_, AUTOSCALER_), keyed in
// camelCase after it (PRODUCER_KAFKA_BROKERS → kafkaBrokers), through a strict zod object schema. A name under the prefix
// that the schema does not know is an error, not ignored — a typo must not leave a default silently in force — and the
// error names the setting meant when one is close. Each service turns the problems into its own error code.
import type { z } from 'zod';

export interface EnvProblem {
  /** The environment variable, e.g. AUTOSCALER_DRYRUN. */
  name: string;
  message: string;
}

export type EnvSection<T> = { ok: true; value: T } | { ok: false; problems: EnvProblem[] };

export interface EnvSectionOptions {
  /** e.g. AUTOSCALER_; variables set to the empty string count as unset. */
  prefix: string;
  /** Longer prefixes read as sections of their own (PRODUCER_LEASE_ beside PRODUCER_). */
  exclude?: readonly string[];
}

/** PRODUCER_KAFKA_BROKERS → kafkaBrokers */
export function envNameToKey(name: string, prefix: string): string {
  return name
    .slice(prefix.length)
    .toLowerCase()
    .replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/** kafkaBrokers → PRODUCER_KAFKA_BROKERS */
export function keyToEnvName(key: string, prefix: string): string {
  return `${prefix}${key.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase()}`;
}

export function readEnvSection<S extends z.ZodObject>(
  schema: S,
  env: NodeJS.ProcessEnv,
  { prefix, exclude = [] }: EnvSectionOptions,
): EnvSection<z.output<S>> {
  const values: Record<string, string> = {};
  const names = new Map<string, string>();
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(prefix) || value === undefined || value === '') continue;
    if (exclude.some((other) => name.startsWith(other))) continue;
    const key = envNameToKey(name, prefix);
    values[key] = value;
    names.set(key, name);
  }
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, value: result.data };
  const known = Object.keys(schema.shape).map((key) => keyToEnvName(key, prefix));
  const problems = result.error.issues.flatMap((issue): EnvProblem[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => {
        const name = names.get(key) ?? keyToEnvName(key, prefix);
        const meant = closestName(name, known, prefix);
        return { name, message: `not a known setting${meant ? `; did you mean ${meant}?` : ''}` };
      });
    }
    const key = issue.path[0];
    const name = typeof key === 'string' ? (names.get(key) ?? keyToEnvName(key, prefix)) : `${prefix}*`;
    return [{ name, message: issue.message }];
  });
  return { ok: false, problems };
}

/** The known name closest to a mistyped one, when it is close enough to be what was meant. */
function closestName(name: string, known: readonly string[], prefix: string): string | undefined {
  const typed = name.slice(prefix.length);
  const allowed = typed.length <= 4 ? 1 : Math.max(2, Math.floor(typed.length / 4));
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(typed, candidate.slice(prefix.length));
    if (distance <= allowed && (best === undefined || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

/** Edits (insert, delete, substitute, swap two neighbours) turning `a` into `b`: optimal string alignment. */
export function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        distance = Math.min(distance, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = distance;
    }
  }
  return rows[a.length]![b.length]!;
}
