// What one replica asks the scheduler for: the effective CPU and memory requests of a pod template, computed as the
// scheduler does (k8s.io/component-helpers resource.PodRequests): the app containers plus restartable ("sidecar") init
// containers run together; a regular init container runs alone with the sidecars started before it; the pod needs the
// larger of the two. A container with a limit and no request requests its limit (the API server's defaulting for pods,
// which a template in a Deployment has not been through yet). Pod overhead (RuntimeClass) is not counted.
import { BYTES_PER_GIB, parseQuantity } from './quantity.ts';

/** The part of a container spec this needs (the shape of @kubernetes/client-node's V1Container). */
export interface ContainerResources {
  readonly name: string;
  readonly restartPolicy?: string;
  readonly resources?: {
    readonly requests?: Readonly<Record<string, string | number>>;
    readonly limits?: Readonly<Record<string, string | number>>;
  };
}

export interface PodTemplateResources {
  readonly containers: readonly ContainerResources[];
  readonly initContainers?: readonly ContainerResources[];
}

export interface ResourceRequests {
  readonly cpuCores: number;
  readonly memoryGiB: number;
}

export type PodRequestsResult =
  { readonly ok: true; readonly requests: ResourceRequests } | { readonly ok: false; readonly problem: string };

function requestOf(container: ContainerResources, resource: 'cpu' | 'memory'): number | string {
  const raw = container.resources?.requests?.[resource] ?? container.resources?.limits?.[resource];
  if (raw === undefined) return 0;
  const value = parseQuantity(raw);
  if (value === undefined || value < 0) return `container ${container.name}: ${resource} "${String(raw)}" is not a quantity`;
  return resource === 'memory' ? value / BYTES_PER_GIB : value;
}

function effective(spec: PodTemplateResources, resource: 'cpu' | 'memory'): number | string {
  let sidecars = 0;
  let initPeak = 0;
  for (const init of spec.initContainers ?? []) {
    const request = requestOf(init, resource);
    if (typeof request === 'string') return request;
    if (init.restartPolicy === 'Always') sidecars += request;
    else initPeak = Math.max(initPeak, sidecars + request);
  }
  let running = sidecars;
  for (const container of spec.containers) {
    const request = requestOf(container, resource);
    if (typeof request === 'string') return request;
    running += request;
  }
  return Math.max(running, initPeak);
}

export function podRequests(spec: PodTemplateResources): PodRequestsResult {
  const cpu = effective(spec, 'cpu');
  if (typeof cpu === 'string') return { ok: false, problem: cpu };
  const memory = effective(spec, 'memory');
  if (typeof memory === 'string') return { ok: false, problem: memory };
  return { ok: true, requests: { cpuCores: cpu, memoryGiB: memory } };
}
