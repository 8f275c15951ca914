// A Kafka of a test's own (the stack's jars and server.properties, on other ports with a temporary data directory), for
// tests that must stop, kill and restart the broker without disturbing the shared one on 9092. Restarting reuses the
// same ports and data, so what was acknowledged before the stop is there after it.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { kafkaHealthy, prepareKafkaNode } from './kafka.ts';
import { host } from './layout.ts';
import { freePort } from './processes.ts';

export interface PrivateKafka {
  brokers: string[];
  /** With `podListenerHost`: the broker's address on that host, advertised as such (for pods on the real node). */
  podBrokers: string[];
  /** Starts the broker (again, on the same ports and data) and waits until it creates and lists a topic. */
  start(): Promise<void>;
  /** SIGTERM: a controlled shutdown. */
  stop(): Promise<void>;
  /** SIGKILL: the broker vanishes mid-request. */
  kill(): Promise<void>;
  /** Stops the broker and deletes its data. */
  destroy(): Promise<void>;
}

const START_TIMEOUT_MS = 90_000;

export async function privateKafka(options: { podListenerHost?: string } = {}): Promise<PrivateKafka> {
  const dir = mkdtempSync(join(tmpdir(), 'tormenta-kafka-'));
  const taken = new Set<number>();
  const distinctPort = async (): Promise<number> => {
    let port = await freePort();
    while (taken.has(port)) port = await freePort();
    taken.add(port);
    return port;
  };
  const port = await distinctPort();
  const controllerPort = await distinctPort();
  const podListener = options.podListenerHost ? { host: options.podListenerHost, port: await distinctPort() } : undefined;
  const launch = prepareKafkaNode(
    { dir, dataDir: join(dir, 'data'), port, controllerPort, ...(podListener && { podListener }) },
    { min: '128m', max: '512m' },
  );
  const brokers = [`${host}:${port}`];
  const podBrokers = podListener ? [`${podListener.host}:${podListener.port}`] : [];
  const logPath = join(dir, 'kafka.log');
  let child: ChildProcess | undefined;

  const halt = async (signal: NodeJS.Signals): Promise<void> => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill(signal);
    await exited;
  };

  return {
    brokers,
    podBrokers,
    async start() {
      if (child) throw new Error('private Kafka already running');
      const log = openSync(logPath, 'a');
      const started = spawn(launch.java, [...launch.jvm, 'kafka.Kafka', launch.properties], { stdio: ['ignore', log, log] });
      closeSync(log);
      child = started;
      const deadline = Date.now() + START_TIMEOUT_MS;
      while (Date.now() < deadline) {
        if (started.exitCode !== null) break;
        if (await kafkaHealthy(brokers).catch(() => false)) return;
        await sleep(500);
      }
      await halt('SIGKILL');
      const tail = readFileSync(logPath, 'utf8').trimEnd().split('\n').slice(-15).join('\n');
      throw new Error(`private Kafka on ${brokers[0]} not healthy within ${START_TIMEOUT_MS / 1000}s; last log lines:\n${tail}`);
    },
    stop: () => halt('SIGTERM'),
    kill: () => halt('SIGKILL'),
    async destroy() {
      await halt('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
