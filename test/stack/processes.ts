// The stack's processes, supervised in the state directory, and the port probes the stack needs.
import { createConnection, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { ProcessSupervisor } from '../supervisor/process-supervisor.ts';
import type { ProcessSpec } from '../supervisor/process-supervisor.ts';
import { StackError } from './errors.ts';
import { stateDir } from './layout.ts';

const supervisor = new ProcessSupervisor(stateDir, (component, reason) => new StackError(`${component}: ${reason}`));

export const pidFile = (name: string): string => supervisor.pidFile(name);
export const logFile = (name: string): string => supervisor.logFile(name);
export const runningPid = (name: string): number | undefined => supervisor.runningPid(name);
export const startProcess = (spec: ProcessSpec): number => supervisor.start({ appendLog: true, ...spec });
export const stopProcess = (name: string, graceMs?: number): Promise<boolean> => supervisor.stop(name, graceMs);
export const logTail = (name: string, lines?: number): string => supervisor.logTail(name, lines);
export const waitUntil = (name: string, what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> =>
  supervisor.waitUntil(name, what, probe, timeoutMs);

export function isPortOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A TCP port free on the loopback right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
