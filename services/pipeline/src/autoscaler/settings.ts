// The local autoscaler's process settings (LOCAL_AUTOSCALER_*), read once here. The scaling config itself is a JSON file
// validated by the autoscaler's own ConfigMap schema; FLEETS maps each target name to its fleet's admin URL.
import { z } from 'zod';

const schema = z.strictObject({
  LOCAL_AUTOSCALER_CONFIG_FILE: z.string().min(1),
  /** target=adminUrl pairs, comma-separated, e.g. producer=http://127.0.0.1:3100 */
  LOCAL_AUTOSCALER_FLEETS: z
    .string()
    .min(1)
    .transform((text) => new Map(text.split(',').map((pair) => pair.trim().split('=', 2) as [string, string]))),
  LOCAL_AUTOSCALER_HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  LOCAL_AUTOSCALER_HTTP_PORT: z.coerce.number().int().min(0).max(65_535).default(9_470),
  LOCAL_AUTOSCALER_PROMETHEUS_TIMEOUT_MS: z.coerce.number().int().min(100).default(3_000),
});

export type LocalAutoscalerSettings = z.infer<typeof schema>;

export function loadLocalAutoscalerSettings(env: NodeJS.ProcessEnv = process.env): LocalAutoscalerSettings {
  const known = Object.fromEntries(
    Object.entries(env).filter(([name, value]) => name.startsWith('LOCAL_AUTOSCALER_') && value !== ''),
  );
  const parsed = schema.safeParse(known);
  if (parsed.success) return parsed.data;
  throw new Error(
    `invalid local autoscaler settings: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`).join('; ')}`,
  );
}
