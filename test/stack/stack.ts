// The local stack as one unit: up starts what is not running and waits for real health; a failure stops whatever this
// call started, so nothing is left half-up; down stops everything, in reverse order.
import { DRILL } from './drill.ts';
import { HBASE, HBASE_REST, hbaseHealthy, startHBase, startHBaseRest } from './hbase.ts';
import { KAFKA, kafkaHealthy, startKafka } from './kafka.ts';
import { StackError } from './errors.ts';
import { ports, stateDir } from './layout.ts';
import { withUpLock } from './up-lock.ts';
import { requireFreePorts } from './prerequisites.ts';
import { logFile, runningPid, stopProcess } from './processes.ts';
import { MOSQUITTO, mosquittoHealthy, startMosquitto } from './mosquitto.ts';
import { PROMETHEUS, prometheusReady, startPrometheus } from './prometheus.ts';

interface Component {
  name: string;
  ports: Record<string, number>;
  start: () => Promise<boolean>;
  healthy: () => Promise<boolean>;
}

export const components: Component[] = [
  { name: KAFKA, ports: { broker: ports.kafka, controller: ports.kafkaController }, start: startKafka, healthy: kafkaHealthy },
  {
    name: HBASE,
    ports: {
      zookeeper: ports.zookeeper,
      master: ports.hbaseMaster,
      'master info': ports.hbaseMasterInfo,
      'region server': ports.hbaseRegionServer,
    },
    start: startHBase,
    healthy: async () => true,
  },
  { name: HBASE_REST, ports: { rest: ports.hbaseRest }, start: startHBaseRest, healthy: hbaseHealthy },
  { name: PROMETHEUS, ports: { web: ports.prometheus }, start: startPrometheus, healthy: prometheusReady },
  { name: MOSQUITTO, ports: { mqtt: ports.mqtt }, start: startMosquitto, healthy: mosquittoHealthy },
];

/** Started on demand by what needs them (npm run sql, the SQL tests), never by up; down and status include them. */
const onDemand = [DRILL];

export interface UpReport {
  started: string[];
  reused: string[];
  seconds: number;
}

/** TORMENTA_STACK=containers takes the components from a Docker engine instead of local processes. */
export const useContainers = process.env.TORMENTA_STACK === 'containers';

export function stackUp(log: (line: string) => void = () => {}): Promise<UpReport> {
  return withUpLock(stateDir, log, () => startStack(log));
}

async function startStack(log: (line: string) => void): Promise<UpReport> {
  const began = Date.now();
  if (useContainers) {
    const { containersUp } = await import('./containers.ts');
    await containersUp(log);
    for (const component of components) await waitHealthy(component);
    return { started: components.map((component) => component.name), reused: [], seconds: (Date.now() - began) / 1000 };
  }
  const started: string[] = [];
  const reused: string[] = [];
  // Every port is checked before anything starts, so a clash fails in a second instead of after the JVMs warmed up.
  for (const component of components) {
    if (runningPid(component.name) === undefined) await requireFreePorts(component.name, component.ports);
  }
  try {
    for (const component of components) {
      const componentBegan = Date.now();
      if (await component.start()) {
        started.push(component.name);
        log(`${component.name}: started and healthy in ${((Date.now() - componentBegan) / 1000).toFixed(1)}s`);
      } else {
        // Already running: still prove it answers, so a wedged process is not reported as up.
        if (!(await component.healthy().catch(() => false))) {
          throw new Error(`${component.name} is running but not healthy; run 'npm run stack -- down' and retry`);
        }
        reused.push(component.name);
        log(`${component.name}: already running`);
      }
    }
  } catch (error) {
    for (const name of [...started].reverse()) await stopProcess(name);
    // The component that failed has a pid file too.
    for (const component of components) if (!reused.includes(component.name)) await stopProcess(component.name);
    throw error;
  }
  return { started, reused, seconds: (Date.now() - began) / 1000 };
}

async function waitHealthy(component: Component): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (!(await component.healthy().catch(() => false))) {
    if (Date.now() > deadline) throw new StackError(`${component.name}: not healthy within 180s`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

export async function stackDown(log: (line: string) => void = () => {}): Promise<void> {
  if (useContainers) {
    const { containersDown } = await import('./containers.ts');
    containersDown();
    log('containers removed');
    return;
  }
  for (const name of [...onDemand, ...[...components].reverse().map((component) => component.name)]) {
    if (await stopProcess(name)) log(`${name}: stopped`);
  }
}

export function stackStatus(): { name: string; pid: number | undefined; log: string }[] {
  return [...components.map((component) => component.name), ...onDemand].map((name) => ({
    name,
    pid: runningPid(name),
    log: logFile(name),
  }));
}

export function stackRunning(): boolean {
  return components.every((component) => runningPid(component.name) !== undefined);
}
