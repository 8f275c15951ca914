import { describe, expect, it } from '@jest/globals';
import { podRequests } from './pod-requests.ts';
import type { ContainerResources, PodTemplateResources } from './pod-requests.ts';

const container = (name: string, requests?: Record<string, string>, limits?: Record<string, string>): ContainerResources => ({
  name,
  resources: { ...(requests === undefined ? {} : { requests }), ...(limits === undefined ? {} : { limits }) },
});

describe('podRequests', () => {
  it.each<[string, PodTemplateResources, number, number]>([
    ['one container', { containers: [container('app', { cpu: '100m', memory: '128Mi' })] }, 0.1, 0.125],
    [
      'containers add up',
      { containers: [container('a', { cpu: '250m', memory: '512Mi' }), container('b', { cpu: '750m', memory: '512Mi' })] },
      1,
      1,
    ],
    [
      'a limit without a request is the request',
      { containers: [container('app', undefined, { cpu: '2', memory: '1Gi' })] },
      2,
      1,
    ],
    ['the request wins over the limit', { containers: [container('app', { cpu: '1' }, { cpu: '2', memory: '1Gi' })] }, 1, 1],
    [
      'a larger regular init container sets the peak',
      {
        initContainers: [container('migrate', { cpu: '3', memory: '64Mi' })],
        containers: [container('app', { cpu: '1', memory: '1Gi' })],
      },
      3,
      1,
    ],
    [
      'sidecars run with the app and before later init containers',
      {
        initContainers: [
          { ...container('proxy', { cpu: '500m', memory: '256Mi' }), restartPolicy: 'Always' },
          container('warm', { cpu: '1', memory: '128Mi' }),
        ],
        containers: [container('app', { cpu: '250m', memory: '256Mi' })],
      },
      1.5,
      0.5,
    ],
    ['no requests at all', { containers: [container('app')] }, 0, 0],
  ])('%s', (_label, spec, cpu, memory) => {
    const result = podRequests(spec);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.requests.cpuCores).toBeCloseTo(cpu, 12);
    expect(result.requests.memoryGiB).toBeCloseTo(memory, 12);
  });

  it('names the container and resource of a bad quantity', () => {
    expect(podRequests({ containers: [container('app', { cpu: 'lots' })] })).toEqual({
      ok: false,
      problem: 'container app: cpu "lots" is not a quantity',
    });
  });
});
