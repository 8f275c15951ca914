// The cluster's processes, supervised in the cluster's state directory.
import { ProcessSupervisor } from '../supervisor/process-supervisor.ts';
import type { ProcessSpec } from '../supervisor/process-supervisor.ts';
import { stateDir } from './layout.ts';
import { freePort } from '../stack/processes.ts';

export type { ProcessSpec };
export { rssBytes } from '../supervisor/process-supervisor.ts';

/** A component that failed to start or to become healthy; the message names it and ends with its log's tail. */
export class ComponentError extends Error {
  override name = 'ComponentError';
  readonly component: string;
  constructor(component: string, reason: string) {
    super(`${component}: ${reason}`);
    this.component = component;
  }
}

const supervisor = new ProcessSupervisor(stateDir, (component, reason) => new ComponentError(component, reason));

export const runningPid = (name: string): number | undefined => supervisor.runningPid(name);
export const startProcess = (spec: ProcessSpec): number => supervisor.start(spec);
export const stopProcess = (name: string, graceMs = 10_000): Promise<boolean> => supervisor.stop(name, graceMs);
export const logTail = (name: string, lines?: number): string => supervisor.logTail(name, lines);
export const waitUntil = (name: string, what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> =>
  supervisor.waitUntil(name, what, probe, timeoutMs);

// Ports the data stack (Kafka, HBase, ZooKeeper, Prometheus, services) binds; random ports never land on them.
const RESERVED_PORTS = new Set([2181, 8080, 9090, 9092, 9093, 16010]);

export async function freePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) {
    const port = await freePort();
    if (port && !RESERVED_PORTS.has(port)) ports.add(port);
  }
  return [...ports];
}
