// The autoscaler process's own settings, from the environment, validated once at start-up. (What to scale and the budget
// live in the ConfigMap, config/schema.ts; this is only where to find it and how to run.) The only module reading process.env.
import { hostname } from 'node:os';
import { z } from 'zod';
import { AUTOSCALER_ERROR_CODES, AutoscalerError } from '../errors.ts';

const boolean = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');
const kubeName = z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a Kubernetes object name');

const settingsSchema = z.object({
  AUTOSCALER_NAMESPACE: kubeName.default('default'),
  AUTOSCALER_CONFIGMAP: kubeName.default('tormenta-autoscaler'),
  AUTOSCALER_CONFIGMAP_KEY: z.string().min(1).default('config.yaml'),
  AUTOSCALER_LEASE: kubeName.default('tormenta-autoscaler'),
  AUTOSCALER_LEASE_DURATION_SECONDS: z.coerce.number().int().min(2).max(300).default(15),
  AUTOSCALER_IDENTITY: z.string().min(1).default(hostname()),
  AUTOSCALER_DRY_RUN: boolean.default(false),
  AUTOSCALER_HTTP_HOST: z.string().min(1).default('0.0.0.0'),
  AUTOSCALER_HTTP_PORT: z.coerce.number().int().min(0).max(65_535).default(9102),
  AUTOSCALER_PROMETHEUS_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
});

export interface AutoscalerSettings {
  namespace: string;
  configMap: string;
  configMapKey: string;
  lease: string;
  leaseDurationMs: number;
  identity: string;
  dryRun: boolean;
  http: { host: string; port: number };
  prometheusTimeoutMs: number;
}

export function loadSettings(env: NodeJS.ProcessEnv = process.env): AutoscalerSettings {
  const relevant = Object.fromEntries(Object.entries(env).filter(([name]) => name.startsWith('AUTOSCALER_')));
  const result = settingsSchema.safeParse(relevant);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => ({ path: String(issue.path[0] ?? ''), message: issue.message }));
    throw new AutoscalerError(
      AUTOSCALER_ERROR_CODES.settingsInvalid,
      `invalid environment: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
      issues,
    );
  }
  const s = result.data;
  return {
    namespace: s.AUTOSCALER_NAMESPACE,
    configMap: s.AUTOSCALER_CONFIGMAP,
    configMapKey: s.AUTOSCALER_CONFIGMAP_KEY,
    lease: s.AUTOSCALER_LEASE,
    leaseDurationMs: s.AUTOSCALER_LEASE_DURATION_SECONDS * 1000,
    identity: s.AUTOSCALER_IDENTITY,
    dryRun: s.AUTOSCALER_DRY_RUN,
    http: { host: s.AUTOSCALER_HTTP_HOST, port: s.AUTOSCALER_HTTP_PORT },
    prometheusTimeoutMs: s.AUTOSCALER_PROMETHEUS_TIMEOUT_MS,
  };
}
