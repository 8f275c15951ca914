// The autoscaler process's own settings, from the AUTOSCALER_* environment variables, validated once at start-up: an
// unknown AUTOSCALER_* name stops it, naming the setting meant. (What to scale and the budget live in the ConfigMap,
// config/schema.ts; this is only where to find it and how to run.) The only module reading process.env.
import { hostname } from 'node:os';
import { readEnvSection } from '@tormenta/config';
import { z } from 'zod';
import { AUTOSCALER_ERROR_CODES, AutoscalerError } from '../errors.ts';

/** Defaulted as the text a variable would hold, so the generated settings table shows the default. */
const boolean = (fallback: 'true' | 'false') =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback)
    .transform((value) => value === 'true' || value === '1');
const kubeName = z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a Kubernetes object name');

export const SETTINGS_PREFIX = 'AUTOSCALER_';

/** Keyed as @tormenta/config reads AUTOSCALER_* (AUTOSCALER_CONFIGMAP_KEY → configmapKey); an unknown name is refused. */
export const settingsSchema = z.strictObject({
  namespace: kubeName.default('default'),
  configmap: kubeName.default('tormenta-autoscaler'),
  configmapKey: z.string().min(1).default('config.yaml'),
  lease: kubeName.default('tormenta-autoscaler'),
  leaseDurationSeconds: z.coerce.number().int().min(2).max(300).default(15),
  identity: z.string().min(1).default(hostname()),
  dryRun: boolean('false'),
  httpHost: z.string().min(1).default('0.0.0.0'),
  httpPort: z.coerce.number().int().min(0).max(65_535).default(9102),
  prometheusTimeoutMs: z.coerce.number().int().min(100).max(60_000).default(5_000),
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
  const result = readEnvSection(settingsSchema, env, { prefix: SETTINGS_PREFIX });
  if (!result.ok) {
    const issues = result.problems.map((problem) => ({ path: problem.name, message: problem.message }));
    throw new AutoscalerError(
      AUTOSCALER_ERROR_CODES.settingsInvalid,
      `invalid environment: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
      issues,
    );
  }
  const s = result.value;
  return {
    namespace: s.namespace,
    configMap: s.configmap,
    configMapKey: s.configmapKey,
    lease: s.lease,
    leaseDurationMs: s.leaseDurationSeconds * 1000,
    identity: s.identity,
    dryRun: s.dryRun,
    http: { host: s.httpHost, port: s.httpPort },
    prometheusTimeoutMs: s.prometheusTimeoutMs,
  };
}
