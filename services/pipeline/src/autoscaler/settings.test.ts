import { describe, expect, it } from '@jest/globals';
import { loadLocalAutoscalerSettings } from './settings.ts';

const minimal = {
  LOCAL_AUTOSCALER_CONFIG_FILE: '/tmp/autoscaler.json',
  LOCAL_AUTOSCALER_FLEETS: 'producer=http://127.0.0.1:3100',
};

const problemOf = (env: NodeJS.ProcessEnv): string => {
  try {
    loadLocalAutoscalerSettings(env);
  } catch (error) {
    return (error as Error).message.replace(/^invalid local autoscaler settings: /, '');
  }
  throw new Error('the settings were accepted');
};

describe('loadLocalAutoscalerSettings', () => {
  it('reads LOCAL_AUTOSCALER_* with defaults, each fleet by target name', () => {
    const settings = loadLocalAutoscalerSettings({
      ...minimal,
      LOCAL_AUTOSCALER_FLEETS: 'producer=http://127.0.0.1:3100, consumer=http://127.0.0.1:3200',
      LOCAL_AUTOSCALER_HTTP_PORT: '0',
      LOCAL_AUTOSCALER_HTTP_HOST: '',
      PATH: '/usr/bin',
    });
    expect(settings).toEqual({
      configFile: '/tmp/autoscaler.json',
      fleets: new Map([
        ['producer', 'http://127.0.0.1:3100'],
        ['consumer', 'http://127.0.0.1:3200'],
      ]),
      httpHost: '127.0.0.1',
      httpPort: 0,
      prometheusTimeoutMs: 3_000,
    });
  });

  it.each([
    ['no config file', { LOCAL_AUTOSCALER_CONFIG_FILE: undefined }, 'LOCAL_AUTOSCALER_CONFIG_FILE: '],
    [
      'a fleet without its URL',
      { LOCAL_AUTOSCALER_FLEETS: 'producer' },
      'LOCAL_AUTOSCALER_FLEETS: must be target=adminUrl pairs, comma-separated',
    ],
    ['a fleet URL that is none', { LOCAL_AUTOSCALER_FLEETS: 'producer=not-a-url' }, 'LOCAL_AUTOSCALER_FLEETS: '],
    ['a port out of range', { LOCAL_AUTOSCALER_HTTP_PORT: '70000' }, 'LOCAL_AUTOSCALER_HTTP_PORT: '],
    [
      'a mistyped name',
      { LOCAL_AUTOSCALER_PROMETHEUS_TIMEOUT: '500' },
      'LOCAL_AUTOSCALER_PROMETHEUS_TIMEOUT: not a known setting; did you mean LOCAL_AUTOSCALER_PROMETHEUS_TIMEOUT_MS?',
    ],
  ])('refuses %s, naming the variable', (_case, override, problem) => {
    expect(problemOf({ ...minimal, ...override })).toContain(problem);
  });
});
