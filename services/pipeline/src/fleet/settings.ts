// The producer fleet's own settings (FLEET_*), read once here; every PRODUCER_* variable passes through untouched to the
// workers, whose producer validates it.
import { z } from 'zod';

const schema = z.strictObject({
  FLEET_REPLICAS: z.coerce.number().int().min(0).default(1),
  FLEET_MAX_REPLICAS: z.coerce.number().int().min(1).default(32),
  FLEET_ADMIN_HOST: z.string().min(1).default('127.0.0.1'),
  FLEET_ADMIN_PORT: z.coerce.number().int().min(0).max(65_535).default(3_100),
  /** Where each worker's own /metrics listens (an exclusive port per worker, so Prometheus sees every replica). */
  FLEET_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  FLEET_DRAIN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
});

export type FleetSettings = z.infer<typeof schema>;

export function loadFleetSettings(env: NodeJS.ProcessEnv = process.env): FleetSettings {
  const known = Object.fromEntries(Object.entries(env).filter(([name, value]) => name.startsWith('FLEET_') && value !== ''));
  const parsed = schema.safeParse(known);
  if (parsed.success) return parsed.data;
  throw new Error(
    `invalid fleet settings: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`).join('; ')}`,
  );
}
