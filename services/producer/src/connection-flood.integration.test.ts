// A connection flood at the socket level (the course's DoS scenario): 15 000 local connections that trickle their headers,
// one line every 5 s, against a producer process started as its image starts it. Without bounds they raised its RSS by
// ~240 MB and were closed only after ~65 s. With them, the process must stay under its memory limit, close the slow
// connections within seconds, count what it refused, and keep answering valid requests with 2xx.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { bundle } from '../../../scripts/build.ts';
import { imageCommand, imageEnv } from '../../../test/packaging/dockerfile.ts';
import { deleteTopic, uniqueName } from '../../../test/stack/fixtures.ts';
import { endpoints } from '../../../test/stack/layout.ts';
import { freePort } from '../../../test/stack/processes.ts';
import { DEFAULT_HEADERS_TIMEOUT_MS } from './config.ts';
import { writeStreamFile } from './testing/stream-file.ts';

jest.setTimeout(90_000);

const FLOOD_CONNECTIONS = 15_000;
const HEADER_LINE_EVERY_MS = 5_000;
/**
 * Below the chart's 256 Mi on purpose: unbounded, the flood takes a bundled producer from ~86 MB to ~218 MB within
 * seconds (to 326 MB after a minute), so 160 Mi fails without the cap within this test's time, and the cap derived from it
 * (2 560 connections) has to hold.
 */
const MEMORY_LIMIT_BYTES = 160 * 1024 * 1024;

const repo = resolve(import.meta.dirname, '..', '..', '..');
const DOCKERFILE = readFileSync(join(repo, 'Dockerfile.producer'), 'utf8');
// Under the producer's workspace, so that its packages resolve as in the image (ajv 8 is the workspace's own).
const bundleDir = join(repo, 'services', 'producer', 'dist', `connection-flood-${process.pid}`);
const topic = uniqueName('flood');

let producer: ChildProcess;
let base: string;
let port: number;

function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) * 1024;
}

/** One transaction POSTed on `agent`; resolves with the status, or 0 when the connection failed. */
function postRecord(agent: Agent, i: number): Promise<number> {
  const body = JSON.stringify([{ ID_PERSONA: i, ID_EMPRESA: i % 50, MONTO: i }]);
  return new Promise((done) => {
    const req = request(
      `${base}/v1/records`,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (response) => {
        response.resume();
        response.on('end', () => done(response.statusCode ?? 0));
      },
    );
    req.on('error', () => done(0));
    req.end(body);
  });
}

async function droppedConnections(): Promise<Record<string, number>> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const counts: Record<string, number> = {};
  for (const match of text.matchAll(/^tormenta_ingest_connections_dropped_total\{reason="(\w+)"\} (\S+)$/gm)) {
    counts[match[1]!] = Number(match[2]);
  }
  return counts;
}

beforeAll(async () => {
  // The flood's sockets are this process's file descriptors.
  const openFiles = Number(execFileSync('sh', ['-c', 'ulimit -Sn'], { encoding: 'utf8' }).trim());
  if (openFiles < FLOOD_CONNECTIONS + 1_000) {
    throw new Error(`ulimit -n is ${openFiles}; this test holds ${FLOOD_CONNECTIONS} sockets: raise it (ulimit -n 20000)`);
  }
  await bundle({ main: join(repo, 'services/producer/src/main.ts') }, bundleDir);
  port = await freePort();
  base = `http://127.0.0.1:${port}`;
  // The image's command line and environment (node flags, allocator settings), with the bundle the image runs.
  producer = spawn(process.execPath, [...imageCommand(DOCKERFILE).slice(1, -1), join(bundleDir, 'main.mjs')], {
    env: {
      ...process.env,
      ...imageEnv(DOCKERFILE),
      PRODUCER_HOST: '127.0.0.1',
      PRODUCER_PORT: String(port),
      PRODUCER_KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
      PRODUCER_STREAM_FILE: writeStreamFile({ topic }),
      PRODUCER_LOG_LEVEL: 'warn',
      PRODUCER_MEMORY_LIMIT_BYTES: String(MEMORY_LIMIT_BYTES),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (
    let attempt = 0;
    !(await fetch(`${base}/readyz`).then(
      (r) => r.ok,
      () => false,
    ));
    attempt++
  ) {
    if (attempt > 150 || producer.exitCode !== null) throw new Error('producer not ready');
    await sleep(200);
  }
});

afterAll(async () => {
  producer.kill('SIGKILL');
  rmSync(bundleDir, { recursive: true, force: true });
  await deleteTopic(topic).catch(() => undefined);
});

describe('a flood of slow connections', () => {
  it('leaves the producer under its memory limit, closes them within seconds and keeps serving valid requests', async () => {
    const pid = producer.pid!;
    const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
    // A client that was connected before the flood, as a source's clients are.
    expect(await postRecord(keepAlive, 0)).toBe(200);
    const baseline = rssBytes(pid);

    let peakRss = baseline;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssBytes(pid))), 100);
    const validStatuses: number[] = [];
    let sending = true;
    const valid = (async () => {
      for (let i = 1; sending; i++) {
        validStatuses.push(await postRecord(keepAlive, i));
        await sleep(250);
      }
    })();

    const started = Date.now();
    let closed = 0;
    let timedOut = 0;
    let firstTimeoutMs = Number.POSITIVE_INFINITY;
    const flood: Socket[] = [];
    for (let i = 0; i < FLOOD_CONNECTIONS; i++) {
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => undefined);
      socket.on('data', (chunk: Buffer) => {
        if (!chunk.toString('latin1').startsWith('HTTP/1.1 408 ')) return;
        timedOut++;
        firstTimeoutMs = Math.min(firstTimeoutMs, Date.now() - started);
      });
      socket.on('close', () => closed++);
      socket.write('POST /v1/records HTTP/1.1\r\nHost: producer\r\nContent-Type: application/json\r\n');
      flood.push(socket);
      // Paced a little, so that fewer connections overflow the listen backlog and reach the producer only after the
      // kernel's SYN-ACK retries, seconds later.
      if (i % 100 === 99) await sleep(10);
    }
    const trickle = setInterval(() => {
      for (const socket of flood) if (!socket.destroyed) socket.write(`X-Slow-${Date.now()}: 1\r\n`);
    }, HEADER_LINE_EVERY_MS);
    while (closed < FLOOD_CONNECTIONS && Date.now() - started < 40_000) await sleep(100);
    clearInterval(trickle);
    const closedByProducer = closed;
    const allClosedMs = Date.now() - started;

    // After the flood, a client on a new connection is served too.
    expect(await postRecord(new Agent(), 1_000_000)).toBe(200);
    sending = false;
    await valid;
    clearInterval(sampler);
    for (const socket of flood) socket.destroy();
    const dropped = await droppedConnections();

    // Every slow connection was closed by the producer, the ones it took answered 408 once the headers timeout passed
    // (unbounded, Node's 60 s headers timeout checked every 30 s let the first go only after ~65 s).
    expect(closedByProducer).toBe(FLOOD_CONNECTIONS);
    expect(firstTimeoutMs).toBeLessThan(DEFAULT_HEADERS_TIMEOUT_MS + 3_000);
    expect(peakRss).toBeLessThan(MEMORY_LIMIT_BYTES);
    expect(validStatuses.length).toBeGreaterThan(5);
    expect(validStatuses.every((status) => status === 200)).toBe(true);
    // Each one refused at the cap or closed at the headers timeout, and counted.
    expect(dropped.max_connections).toBeGreaterThan(0);
    expect(dropped.request_timeout).toBeGreaterThan(0);
    expect(dropped.request_timeout).toBe(timedOut);
    expect(dropped.max_connections! + dropped.request_timeout!).toBe(FLOOD_CONNECTIONS);
    process.stdout.write(
      `flood: RSS ${(baseline / 2 ** 20).toFixed(0)} → peak ${(peakRss / 2 ** 20).toFixed(0)} MiB (limit ${MEMORY_LIMIT_BYTES / 2 ** 20}), ` +
        `first 408 after ${(firstTimeoutMs / 1000).toFixed(1)} s, all closed after ${(allClosedMs / 1000).toFixed(1)} s, dropped ${JSON.stringify(dropped)}, ${validStatuses.length} valid requests\n`,
    );
  });
});
