// A supervised process SIGKILLed while it serves is started again after the backoff and serves again; the restarts and
// the reason are counted; a stopped one stays down. A real child process (a small HTTP server), real signals.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../../../test/stack/processes.ts';
import { SupervisedChild } from './supervisor.ts';
import type { SupervisedStatus } from './supervisor.ts';

const SERVER = `
import { createServer } from 'node:http';
createServer((_request, response) => response.end(String(process.pid)))
  .listen(Number(process.env.PORT), '127.0.0.1', () => console.log('serving'));
`;

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await sleep(50);
  }
  throw new Error(`not ${what} within ${timeoutMs} ms`);
}

describe('SupervisedChild', () => {
  let dir: string;
  let port: number;
  let child: SupervisedChild;
  const exits: [SupervisedStatus, number][] = [];
  const servingPid = (): Promise<number> =>
    until('serving', async () => {
      const response = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1_000) });
      return Number(await response.text());
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'supervisor-test-'));
    writeFileSync(join(dir, 'server.mjs'), SERVER);
    port = await freePort();
    child = new SupervisedChild({
      name: 'server',
      entry: join(dir, 'server.mjs'),
      env: () => ({ PORT: String(port) }),
      logDir: dir,
      policy: { initialDelayMs: 300, maxDelayMs: 2_000, resetAfterMs: 60_000 },
      onExit: (status, delayMs) => exits.push([status, delayMs]),
    });
    child.supervise();
  });

  afterAll(async () => {
    await child.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts a SIGKILLed process again after the backoff, doubling it on a quick second failure', async () => {
    const first = await servingPid();
    expect(child.status).toMatchObject({ state: 'running', pid: first, restarts: 0, lastRestart: null });

    process.kill(first, 'SIGKILL');
    const second = await until('serving from a new process', async () => {
      const pid = await servingPid();
      return pid !== first ? pid : undefined;
    });
    expect(child.status).toMatchObject({
      state: 'running',
      pid: second,
      restarts: 1,
      lastRestart: { reason: 'killed (SIGKILL)' },
    });

    process.kill(second, 'SIGKILL');
    const third = await until('serving from a third process', async () => {
      const pid = await servingPid();
      return pid !== second ? pid : undefined;
    });
    expect(child.status).toMatchObject({ state: 'running', pid: third, restarts: 2 });
    expect(exits.map(([status, delayMs]) => [status.state, status.restarts, delayMs])).toEqual([
      ['restarting', 1, 300],
      ['restarting', 2, 600],
    ]);
  });

  it('leaves a stopped process down', async () => {
    const pid = await servingPid();
    await child.stop();
    expect(child.status).toMatchObject({ state: 'stopped', pid: null, restarts: 2 });
    await sleep(1_000);
    await expect(fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(500) })).rejects.toThrow();
    expect(() => process.kill(pid, 0)).toThrow();
  });
});
