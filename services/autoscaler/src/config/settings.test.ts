import { describe, expect, it } from '@jest/globals';
import { AutoscalerError } from '../errors.ts';
import { loadSettings } from './settings.ts';

function problems(env: NodeJS.ProcessEnv): { path: string; message: string }[] {
  try {
    loadSettings(env);
  } catch (error) {
    expect(error).toBeInstanceOf(AutoscalerError);
    expect((error as AutoscalerError).code).toBe('TORMENTA_AUTOSCALER_SETTINGS_INVALID');
    return (error as AutoscalerError).issues as { path: string; message: string }[];
  }
  throw new Error('loadSettings accepted the environment');
}

describe('loadSettings', () => {
  it('reads AUTOSCALER_* and leaves other variables alone', () => {
    const settings = loadSettings({
      AUTOSCALER_DRY_RUN: 'true',
      AUTOSCALER_CONFIGMAP: 'budget',
      AUTOSCALER_CONFIGMAP_KEY: 'budget.yaml',
      AUTOSCALER_LEASE_DURATION_SECONDS: '30',
      AUTOSCALER_HTTP_PORT: '9200',
      HOME: '/root',
    });
    expect(settings).toMatchObject({
      dryRun: true,
      configMap: 'budget',
      configMapKey: 'budget.yaml',
      leaseDurationMs: 30_000,
      http: { host: '0.0.0.0', port: 9200 },
      namespace: 'default',
    });
  });

  it.each([
    ['AUTOSCALER_DRYRUN', 'AUTOSCALER_DRY_RUN'],
    ['AUTOSCALER_CONFIG_MAP', 'AUTOSCALER_CONFIGMAP'],
    ['AUTOSCALER_PROMETHEUS_TIMEOUT', 'AUTOSCALER_PROMETHEUS_TIMEOUT_MS'],
  ])('refuses %s, a typo of %s, naming the setting meant', (typo, meant) => {
    expect(problems({ [typo]: 'true' })).toEqual([{ path: typo, message: `not a known setting; did you mean ${meant}?` }]);
  });

  it('refuses an unknown AUTOSCALER_* name that is close to nothing', () => {
    expect(problems({ AUTOSCALER_BUDGET_USD: '200' })).toEqual([
      { path: 'AUTOSCALER_BUDGET_USD', message: 'not a known setting' },
    ]);
  });

  it('names the variable of an invalid value', () => {
    expect(problems({ AUTOSCALER_NAMESPACE: 'Not_A_Name' }).map((issue) => issue.path)).toEqual(['AUTOSCALER_NAMESPACE']);
  });
});
