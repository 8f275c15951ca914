// The local autoscaler's process settings (LOCAL_AUTOSCALER_*), read once here the way every service reads its own
// (@tormenta/config: strict, an unknown name refused naming the one meant). The scaling config itself is a JSON file
// validated by the autoscaler's own ConfigMap schema; FLEETS maps each target name to its fleet's admin URL.
import { readEnvSection } from '@tormenta/config';
import { z } from 'zod';

export const SETTINGS_PREFIX = 'LOCAL_AUTOSCALER_';

const fleetPair = z
  .string()
  .regex(/^[^=\s]+=\S+$/, 'must be target=adminUrl pairs, comma-separated')
  .transform((pair) => pair.split('=', 2) as [string, string])
  .pipe(z.tuple([z.string(), z.url()]));

/** Keyed as @tormenta/config reads LOCAL_AUTOSCALER_* (LOCAL_AUTOSCALER_CONFIG_FILE → configFile). */
export const localAutoscalerSettingsSchema = z.strictObject({
  configFile: z.string().min(1),
  /** target=adminUrl pairs, comma-separated, e.g. producer=http://127.0.0.1:3100 */
  fleets: z
    .string()
    .transform((text) => text.split(',').map((pair) => pair.trim()))
    .pipe(z.array(fleetPair).min(1))
    .transform((pairs) => new Map(pairs)),
  httpHost: z.string().min(1).default('127.0.0.1'),
  httpPort: z.coerce.number().int().min(0).max(65_535).default(9_470),
  prometheusTimeoutMs: z.coerce.number().int().min(100).default(3_000),
});

export type LocalAutoscalerSettings = z.output<typeof localAutoscalerSettingsSchema>;

export function loadLocalAutoscalerSettings(env: NodeJS.ProcessEnv = process.env): LocalAutoscalerSettings {
  const result = readEnvSection(localAutoscalerSettingsSchema, env, { prefix: SETTINGS_PREFIX });
  if (result.ok) return result.value;
  throw new Error(
    `invalid local autoscaler settings: ${result.problems.map((problem) => `${problem.name}: ${problem.message}`).join('; ')}`,
  );
}
