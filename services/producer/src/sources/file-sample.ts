// file-sample: the seed's emulated source — N random records from a JSON array file (data/transacciones.json) every T.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { PullSource, SourceDefinition } from './source.ts';

export const fileSampleConfigSchema = z.strictObject({
  file: z.string().min(1).default('data/transacciones.json'),
  count: z.coerce.number().int().min(1).max(100_000).default(10),
  intervalMs: z.coerce.number().int().min(1).default(1_000),
});
export type FileSampleConfig = z.infer<typeof fileSampleConfigSchema>;

export function sampleItems<T>(pool: readonly T[], count: number, random: () => number = Math.random): T[] {
  if (pool.length === 0) return [];
  return Array.from({ length: count }, () => pool[Math.floor(random() * pool.length)] as T);
}

export async function createFileSample(config: FileSampleConfig, random: () => number = Math.random): Promise<PullSource> {
  const pool: unknown = JSON.parse(await readFile(config.file, 'utf8'));
  if (!Array.isArray(pool) || pool.length === 0) throw new Error(`${config.file} must hold a non-empty JSON array`);
  return {
    kind: 'pull',
    name: 'file-sample',
    intervalMs: config.intervalMs,
    read: async () => ({ items: sampleItems(pool, config.count, random) }),
  };
}

export const fileSampleSource: SourceDefinition<FileSampleConfig> = {
  kind: 'file-sample',
  description: "N random records of a JSON array file every interval (the seed's emulated source).",
  replication: 'leader',
  configSchema: fileSampleConfigSchema,
  create: (config) => createFileSample(config),
};
