// The chart's pipeline in real containers on the real node: the service images built by buildah and imported into its
// containerd, `helm install`ed into a Pod Security "restricted" namespace, pointed at a Kafka of the test's own (a second
// listener on the node's bridge address) and at the stack's HBase REST (through the node's gateway). Every Deployment
// turns Available through its own readiness probe — the producer's needs its Kafka topic, the consumer's its HBase
// tables, the autoscaler's a Lease taken through the `kubernetes` Service with in-cluster credentials — and every
// record the producer Service acknowledges lands exactly once, enriched, in HBase. Under a storm the autoscaler pod
// scales the producers from their own metrics (the stack's Prometheus scraping the pod IPs) and a new pod takes records.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import type { V1Pod } from '@kubernetes/client-node';
import { stringify as toYaml } from 'yaml';
import { loadSinkFile, rowKey } from '@tormenta/consumer';
import { seedDimensions, transactions } from '../../../services/consumer/src/integration-support.ts';
import type { Dimensions } from '../../../services/consumer/src/integration-support.ts';
import { defaultConsumer, defaultProducer } from '../../packaging/values.ts';
import { scanTable, testHBase, uniqueName } from '../../stack/fixtures.ts';
import { registerScrapeTargets } from '../../stack/prometheus.ts';
import { privateKafka } from '../../stack/private-kafka.ts';
import type { PrivateKafka } from '../../stack/private-kafka.ts';
import { adminConfig, createTestNamespace, eventually, helm, kubectl } from '../helpers.ts';
import type { TestNamespace } from '../helpers.ts';
import { scratchDir } from '../layout.ts';
import { podGateway } from './gateway.ts';
import { NODE_IP } from './host.ts';
import { REAL_NODE_TAINT } from './layout.ts';
import { readRealNode } from './node.ts';
import type { RealNodeInfo } from './node.ts';
import { importServiceImages } from './service-images.ts';
import type { ServiceImages } from './service-images.ts';

const RELEASE = 'tormenta';
const RECORDS = 400;
const BATCH = 50;
// The scaling test's storm (~100 records/s: batches of 10, a pause of 60 ms) asks for 2–3 producers of 50 records/s.
const TARGET_PER_REPLICA = 50;
const MAX_PRODUCERS = 3;
const STORM_BATCH = 10;
const STORM_PAUSE_MS = 60;
const DEPLOYMENTS = [`${RELEASE}-producer-push`, `${RELEASE}-consumer-1s`, `${RELEASE}-autoscaler`];
const topic = uniqueName('real_node_tx');
const enrichedTable = uniqueName('REAL_NODE_ENRICHED');
const group = uniqueName('real-node-enrich');

const apps = adminConfig().makeApiClient(AppsV1Api);
const core = adminConfig().makeApiClient(CoreV1Api);
let node: RealNodeInfo;
let images: ServiceImages;
let kafka: PrivateKafka;
let dims: Dimensions;
let ns: TestNamespace;
/** Every record the test offered to the producers, acknowledged or not. */
const sent: Transaction[] = [];

/** The shipped transactions sink on the test's topic and tables. */
function consumerSink(): Record<string, unknown> {
  const { sink } = defaultConsumer as { sink: Record<string, unknown> };
  return {
    ...sink,
    topic,
    group,
    table: enrichedTable,
    lookups: (sink.lookups as Record<string, unknown>[]).map((lookup) => ({
      ...lookup,
      table: lookup.name === 'persona' ? dims.persona : dims.empresa,
    })),
  };
}

function values(): Record<string, unknown> {
  return {
    images: { producer: images.producer, consumer: images.consumer, autoscaler: images.autoscaler },
    kafka: { brokers: kafka.podBrokers, topic },
    hbase: { restUrl: podGateway.hbaseRest },
    producers: [
      {
        ...defaultProducer,
        stream: { ...defaultProducer.stream, topic },
        autoscaling: { ...defaultProducer.autoscaling, maxReplicas: MAX_PRODUCERS, targetPerReplica: TARGET_PER_REPLICA },
      },
    ],
    consumers: [{ ...defaultConsumer, sink: consumerSink() }],
    autoscaler: { replicas: 1, pollIntervalSeconds: 5, prometheus: { url: podGateway.prometheus } },
    nodeSelector: { type: 'real' },
    tolerations: [{ key: REAL_NODE_TAINT.key, operator: 'Exists', effect: REAL_NODE_TAINT.effect }],
  };
}

async function availableDeployments(): Promise<string[]> {
  const list = await apps.listNamespacedDeployment({ namespace: ns.name });
  return list.items
    .filter((d) => d.status?.conditions?.some((c) => c.type === 'Available' && c.status === 'True'))
    .filter((d) => (d.status?.readyReplicas ?? 0) >= (d.spec?.replicas ?? 1))
    .map((d) => d.metadata?.name ?? '')
    .sort();
}

async function releasePods(): Promise<V1Pod[]> {
  return (await core.listNamespacedPod({ namespace: ns.name })).items;
}

/** The first process of a pod's container, seen from the host: under the pod's cgroup, below the node's cgroup root. */
function containerProcess(pod: V1Pod): { uid: string; rootMount: string; memoryBytes: number } {
  const containerId = (pod.status?.containerStatuses?.[0]?.containerID ?? '').replace('containerd://', '');
  const qos = pod.status?.qosClass === 'Guaranteed' ? '' : `/${(pod.status?.qosClass ?? '').toLowerCase()}`;
  const cgroup = `/sys/fs/cgroup/memory${node.cgroupRoot}/kubepods${qos}/pod${pod.metadata?.uid}/${containerId}`;
  const pid = readFileSync(join(cgroup, 'cgroup.procs'), 'utf8').trim().split('\n')[0];
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rootMount = readFileSync(`/proc/${pid}/mountinfo`, 'utf8')
    .split('\n')
    .find((line) => line.split(' ')[4] === '/');
  return {
    uid: /^Uid:\s+(.*)$/m.exec(status)?.[1] ?? '',
    rootMount: rootMount ?? '',
    memoryBytes: Number(readFileSync(join(cgroup, 'memory.usage_in_bytes'), 'utf8')),
  };
}

/** One POST on a fresh connection, so kube-proxy picks a producer pod per request rather than per keep-alive pool. */
function postRecords(url: string, records: unknown[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify(records);
    const request = httpRequest(
      url,
      { method: 'POST', agent: false, timeout: 5_000, headers: { 'content-type': 'application/json' } },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('timeout', () => request.destroy(new Error(`${url}: no answer in 5s`)));
    request.on('error', reject);
    request.end(body);
  });
}

const scrapeFiles = new Set<string>();

/** The stack's Prometheus scrapes every producer pod on its pod IP, labelled as the chart's default query expects. */
async function registerProducerPods(): Promise<V1Pod[]> {
  const producers = (await releasePods()).filter((pod) => pod.metadata?.name?.startsWith(DEPLOYMENTS[0] as string));
  for (const pod of producers) {
    if (!pod.status?.podIP) continue;
    const name = pod.metadata?.name ?? '';
    const file = registerScrapeTargets(`real-node-${ns.name}-${name}`, [`${pod.status.podIP}:3000`], {
      namespace: ns.name,
      pod: name,
    });
    scrapeFiles.add(file);
  }
  return producers;
}

async function receivedBy(pod: V1Pod): Promise<number> {
  const text = await (await fetch(`http://${pod.status?.podIP}:3000/metrics`)).text();
  const lines = text.split('\n').filter((line) => line.startsWith('tormenta_ingest_records_received_total'));
  return lines.reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

beforeAll(async () => {
  const info = readRealNode();
  if (!info) throw new Error('real node not running: test/cluster/real-node/global-setup.ts starts it');
  node = info;
  images = await importServiceImages();
  process.stderr.write(`real-node pipeline: service images built/imported in ${images.seconds.toFixed(1)}s\n`);
  kafka = await privateKafka({ podListenerHost: NODE_IP });
  await kafka.start();
  dims = await seedDimensions(20, 5);
  ns = await createTestNamespace({ restricted: true });
  mkdirSync(scratchDir('helm'), { recursive: true });
  const valuesFile = join(scratchDir('helm'), `${ns.name}-values.yaml`);
  writeFileSync(valuesFile, toYaml(values()));
  const started = Date.now();
  const install = await helm(['install', RELEASE, 'charts/tormenta', '--namespace', ns.name, '--values', valuesFile]);
  if (install.code !== 0) throw new Error(`helm install: ${install.stderr}`);
  await eventually(
    `Deployments ${DEPLOYMENTS.join(', ')} Available`,
    async () => ((await availableDeployments()).length === DEPLOYMENTS.length ? true : undefined),
    300_000,
  ).catch(async (error: unknown) => {
    const described = await kubectl(['--namespace', ns.name, 'get', 'pods,deployments', '-o', 'wide']);
    const notReady = (await releasePods()).filter((pod) => !pod.status?.containerStatuses?.every((c) => c.ready));
    const logs = await Promise.all(
      notReady.map(async (pod) => {
        const tail = await kubectl(['--namespace', ns.name, 'logs', '--tail=15', pod.metadata?.name ?? '']);
        return `--- ${pod.metadata?.name}\n${tail.stdout}${tail.stderr}`;
      }),
    );
    throw new Error(`${String(error)}\n${described.stdout}\n${logs.join('\n')}`);
  });
  const readySeconds = (Date.now() - started) / 1000;
  // kube-proxy programs the Service's rules a moment after the endpoint turns ready (until then: REJECT, ECONNREFUSED).
  const service = await core.readNamespacedService({ namespace: ns.name, name: DEPLOYMENTS[0] as string });
  await eventually('the producer Service answering /readyz', async () =>
    (await fetch(`http://${service.spec?.clusterIP}:${service.spec?.ports?.[0]?.port}/readyz`)).ok ? true : undefined,
  );
  process.stderr.write(`real-node pipeline: helm install → every Deployment Available in ${readySeconds.toFixed(1)}s\n`);
}, 30 * 60_000);

afterAll(async () => {
  for (const file of scrapeFiles) rmSync(file, { force: true });
  await ns?.delete();
  await kafka?.destroy();
  for (const table of [enrichedTable, dims?.persona, dims?.empresa]) {
    if (table)
      await testHBase()
        .dropTable(table)
        .catch(() => {});
  }
});

describe('the chart on the real node', () => {
  it('runs every Deployment Available on the real node as uid 1000 on a read-only root, under Pod Security restricted', async () => {
    expect(await availableDeployments()).toEqual([...DEPLOYMENTS].sort());
    const namespace = await core.readNamespace({ name: ns.name });
    expect(namespace.metadata?.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    const pods = (await releasePods()).filter((pod) => pod.status?.phase === 'Running');
    expect(pods.length).toBe(DEPLOYMENTS.length);
    for (const pod of pods) {
      expect(pod.spec?.nodeName).toBe(node.name);
      expect(pod.status?.podIP?.startsWith('10.245.0.')).toBe(true);
      const seen = containerProcess(pod);
      expect(seen.uid.split(/\s+/)).toEqual(['1000', '1000', '1000', '1000']);
      expect(seen.rootMount.split(' ')[5]?.split(',')).toContain('ro');
    }
  });

  it('stores every record the producer Service acknowledges exactly once, enriched', async () => {
    const service = await core.readNamespacedService({ namespace: ns.name, name: DEPLOYMENTS[0] as string });
    const url = `http://${service.spec?.clusterIP}:${service.spec?.ports?.[0]?.port}/v1/records`;
    const records = transactions(RECORDS, dims).map((record, index) => ({ ...record, id: `rn-${index}` }));
    sent.push(...records);
    for (let start = 0; start < records.length; start += BATCH) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(records.slice(start, start + BATCH)),
      });
      expect(`${response.status} ${await response.text()}`).toMatch(/^200 /);
    }
    await expectStoredOnce(records);
    const producer = (await releasePods()).find((pod) => pod.metadata?.name?.startsWith(DEPLOYMENTS[0] as string));
    if (!producer) throw new Error('no producer pod');
    const memory = containerProcess(producer).memoryBytes;
    process.stderr.write(
      `real-node pipeline: producer container cgroup memory after the load ${(memory / 2 ** 20).toFixed(0)} MiB\n`,
    );
    expect(memory).toBeGreaterThan(0);
  });

  it('scales the producers from their own metrics under a storm; the new pods turn Ready and take load, nothing is lost', async () => {
    const service = await core.readNamespacedService({ namespace: ns.name, name: DEPLOYMENTS[0] as string });
    const url = `http://${service.spec?.clusterIP}:${service.spec?.ports?.[0]?.port}/v1/records`;
    const [first] = await registerProducerPods();
    const acknowledged: Transaction[] = [];
    let refused = 0;
    let storming = true;
    const storm = (async () => {
      for (let batch = 0; storming; batch++) {
        const records = transactions(STORM_BATCH, dims).map((record, index) => ({ ...record, id: `storm-${batch}-${index}` }));
        sent.push(...records);
        const status = await postRecords(url, records).catch(() => 0);
        if (status === 200) acknowledged.push(...records);
        else refused += 1;
        await sleep(STORM_PAUSE_MS);
      }
    })();
    try {
      const started = Date.now();
      const added = await eventually(
        'a second producer pod Ready and taking records',
        async () => {
          const producers = await registerProducerPods();
          const ready = producers.filter((pod) => pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
          const others = ready.filter((pod) => pod.metadata?.name !== first?.metadata?.name);
          for (const pod of others) if ((await receivedBy(pod)) > 0) return pod;
          return undefined;
        },
        240_000,
      );
      process.stderr.write(
        `real-node pipeline: storm → ${added.metadata?.name} Ready and taking records in ${((Date.now() - started) / 1000).toFixed(0)}s\n`,
      );
      expect(added.spec?.nodeName).toBe(node.name);
      const scaled = await apps.readNamespacedDeployment({ namespace: ns.name, name: DEPLOYMENTS[0] as string });
      expect(scaled.spec?.replicas ?? 0).toBeGreaterThanOrEqual(2);
      expect(scaled.spec?.replicas ?? 0).toBeLessThanOrEqual(MAX_PRODUCERS);
      // The autoscaler pod did it: its ScaledUp Event on the producer Deployment, reported by one of its replicas.
      const events = await core.listNamespacedEvent({
        namespace: ns.name,
        fieldSelector: `involvedObject.name=${DEPLOYMENTS[0]},reason=ScaledUp`,
      });
      expect(events.items.map((event) => event.reportingInstance?.startsWith(DEPLOYMENTS[2] as string))).toContain(true);
      const memory = first ? containerProcess(first).memoryBytes : 0;
      process.stderr.write(
        `real-node pipeline: first producer's cgroup memory under the storm ${(memory / 2 ** 20).toFixed(0)} MiB\n`,
      );
    } finally {
      storming = false;
      await storm;
    }
    process.stderr.write(`real-node pipeline: storm acknowledged ${acknowledged.length} records, ${refused} requests refused\n`);
    expect(acknowledged.length).toBeGreaterThan(0);
    await expectStoredOnce(acknowledged);
  });
});

type Transaction = ReturnType<typeof transactions>[number] & { id: string };

/**
 * Every acknowledged record is in the enriched table under the consumer's own row key (salted "id:{id}", from the sink
 * the chart was given), enriched; the table holds no row but those of records the test sent, so none was stored twice
 * under another key.
 */
async function expectStoredOnce(acknowledged: Transaction[]): Promise<void> {
  const sinkFile = join(scratchDir('helm'), `${ns.name}-sink.yaml`);
  writeFileSync(sinkFile, toYaml(consumerSink()));
  const templates = loadSinkFile(sinkFile).rowKey;
  const keyOf = (record: Transaction): string => rowKey(templates, record, { topic, partition: 0, offset: '0' }) ?? '';
  const rows = await eventually(
    `${acknowledged.length} acknowledged records in ${enrichedTable}`,
    async () => {
      const scanned = await scanTable(enrichedTable);
      return acknowledged.every((record) => scanned.has(keyOf(record))) ? scanned : undefined;
    },
    120_000,
  );
  const sentKeys = new Set(sent.map(keyOf));
  expect([...rows.keys()].filter((key) => !sentKeys.has(key))).toEqual([]);
  for (const record of acknowledged) {
    expect(rows.get(keyOf(record))).toMatchObject({
      'd:MONTO': String(record.MONTO),
      'd:NOMBRE_PERSONA': dims.personaNames.get(record.ID_PERSONA),
      'd:NOMBRE_EMPRESA': dims.empresaNames.get(record.ID_EMPRESA),
    });
  }
}
