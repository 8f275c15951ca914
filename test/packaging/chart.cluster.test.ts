// The Helm chart on the real test cluster: lint, schema, install with defaults under Pod Security "restricted",
// least-privilege RBAC per ServiceAccount, dashboards, and k8s/ kept equal to the default render.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AppsV1Api, CoreV1Api, loadAllYaml } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import type { V1ConfigMap } from '@kubernetes/client-node';
import { adminConfig, createTestNamespace, eventually, helm, helmPath, impersonate, kubectl } from '../cluster/helpers.ts';
import type { TestNamespace } from '../cluster/helpers.ts';
import { CHART, renderPlainManifests } from '../../k8s/render.ts';
import { canIList } from './rbac.ts';
import { defaultConsumer, defaultProducer, issConsumer, pollProducer } from './values.ts';

const consumerAutoscaling = {
  enabled: true,
  minReplicas: 1,
  maxReplicas: 12,
  costPerReplicaHour: 5,
  targetLagPerReplica: 50_000,
};

const repo = resolve(import.meta.dirname, '..', '..');
const RELEASE = 'tormenta';
let scratch: string;

function valuesFile(name: string, values: unknown): string {
  const path = join(scratch, `${name}.json`);
  writeFileSync(path, JSON.stringify(values));
  return path;
}

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'tormenta-chart-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('helm lint', () => {
  it('is clean in strict mode', async () => {
    const lint = await helm(['lint', '--strict', CHART]);
    expect(lint.code).toBe(0);
    expect(lint.stdout).toContain('0 chart(s) failed');
    expect(lint.stdout).not.toMatch(/\[(WARNING|ERROR)\]/);
  });
});

describe('values.schema.json and template checks reject wrong values, naming the field', () => {
  it.each<[string, unknown, RegExp]>([
    ['an unknown top-level key', { replicaCount: 3 }, /additional properties 'replicaCount' not allowed/],
    ['a negative budget', { autoscaler: { budget: { currency: 'USD', maxPerHour: -5 } } }, /\/autoscaler\/budget\/maxPerHour/],
    ['a lowercase currency', { autoscaler: { budget: { currency: 'usd', maxPerHour: 5 } } }, /\/autoscaler\/budget\/currency/],
    ['a broker without a port', { kafka: { brokers: ['kafka'] } }, /\/kafka\/brokers\/0/],
    ['an HBase address that is not a URL', { hbase: { restUrl: 'hbase:8080' } }, /\/hbase\/restUrl/],
    [
      'an unknown source',
      { producers: [{ ...defaultProducer, stream: { ...defaultProducer.stream, source: { kind: 'ftp' } } }] },
      /\/producers\/0\/stream\/source\/kind/,
    ],
    [
      'autoscaling a source that reads behind a Lease',
      { producers: [{ ...pollProducer, autoscaling: { enabled: true, minReplicas: 1, maxReplicas: 4, targetPerReplica: 100 } }] },
      /producers poll: source http-poll reads behind a Lease/,
    ],
    [
      'a producer name that cannot name a Deployment',
      { producers: [{ ...defaultProducer, name: 'Push_1' }] },
      /\/producers\/0\/name/,
    ],
    ['a misspelt producer key', { producers: [{ ...defaultProducer, replica: 2 }] }, /\/producers\/0.*'replica' not allowed/],
    ['a short ingest token', { ingestToken: { enabled: true, token: 'short' } }, /\/ingestToken\/token/],
    [
      'a cadence of 0 ms',
      { consumers: [{ ...defaultConsumer, sink: { ...defaultConsumer.sink, batchIntervalMs: 0 } }] },
      /\/consumers\/0\/sink\/batchIntervalMs/,
    ],
    ['a consumer without a sink', { consumers: [{ name: '1s', replicas: 1 }] }, /\/consumers\/0.*missing property 'sink'/],
    [
      'a misspelt sink field',
      { consumers: [{ ...defaultConsumer, sink: { ...defaultConsumer.sink, colour: 'red' } }] },
      /\/consumers\/0\/sink.*'colour' not allowed/,
    ],
    [
      'a lookup without table',
      {
        consumers: [
          { ...defaultConsumer, sink: { ...defaultConsumer.sink, lookups: [{ field: 'ID_PERSONA', columns: { NOMBRE: 'N' } }] } },
        ],
      },
      /\/consumers\/0\/sink\/lookups\/0.*missing property 'table'/,
    ],
    [
      'two consumers in one group',
      { consumers: [defaultConsumer, { ...issConsumer, sink: { ...issConsumer.sink, group: 'tormenta-enrich-1s' } }] },
      /consumers 1s and iss-10s: both read as group tormenta-enrich-1s/,
    ],
    ['no consumers', { consumers: [] }, /\/consumers/],
    [
      'minReplicas above maxReplicas',
      { producers: [{ ...defaultProducer, autoscaling: { ...defaultProducer.autoscaling, minReplicas: 40 } }] },
      /producers\[0\]\.autoscaling\.minReplicas \(40\) must be <= maxReplicas \(30\)/,
    ],
    [
      'a consumer minReplicas above maxReplicas',
      { consumers: [{ ...defaultConsumer, autoscaling: { ...consumerAutoscaling, minReplicas: 20 } }] },
      /consumers\[0\]\.autoscaling\.minReplicas \(20\) must be <= maxReplicas \(12\)/,
    ],
    [
      'an ingest token enabled without token or secret',
      { ingestToken: { enabled: true } },
      /ingestToken\.token or ingestToken\.existingSecret is required/,
    ],
  ])('rejects %s', async (label, values, message) => {
    const result = await helm(['template', RELEASE, CHART, '-f', valuesFile(label.replaceAll(' ', '-'), values)]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(message);
  });

  it('puts an autoscaled consumer in the budget pool: lag demand, one replica per partition, its scale granted', async () => {
    const values = { consumers: [{ ...defaultConsumer, autoscaling: consumerAutoscaling }] };
    const result = await helm([
      'template',
      RELEASE,
      CHART,
      '--namespace',
      'prod',
      '-f',
      valuesFile('consumer-autoscaling', values),
    ]);
    expect(result.code).toBe(0);
    const documents = loadAllYaml(result.stdout) as {
      kind: string;
      metadata: { name: string };
      data?: Record<string, string>;
      spec?: { replicas?: number };
      rules?: { resources: string[]; resourceNames?: string[] }[];
    }[];
    const find = (kind: string, name: string) =>
      documents.find((document) => document?.kind === kind && document.metadata.name === name)!;
    const config = loadAllYaml(find('ConfigMap', 'tormenta-autoscaler').data!['config.yaml']!)[0] as {
      targets: { name: string; costPerReplicaHour: number; metric: Record<string, unknown> }[];
    };
    const pods = 'namespace="prod", pod=~"tormenta-consumer-1s-[a-z0-9]+-[a-z0-9]+"';
    expect(config.targets.find((target) => target.name === 'tormenta-consumer-1s')).toEqual({
      name: 'tormenta-consumer-1s',
      kind: 'Deployment',
      namespace: 'prod',
      costPerReplicaHour: 5,
      minReplicas: 1,
      maxReplicas: 12,
      metric: {
        query: `sum(tormenta_consumer_lag_records{${pods}})`,
        targetPerReplica: 50_000,
        partitionsQuery: `count(count by (partition) (tormenta_consumer_lag_records{${pods}}))`,
      },
    });
    expect(find('Deployment', 'tormenta-consumer-1s').spec?.replicas).toBeUndefined();
    const scaleRule = find('Role', 'tormenta-autoscaler').rules!.find((rule) => rule.resources.includes('deployments/scale'));
    expect(scaleRule?.resourceNames).toEqual(['tormenta-producer-push', 'tormenta-consumer-1s']);
  });

  it('accepts the defaults and an existing Secret instead of inlined credentials', async () => {
    const values = {
      ingestToken: { enabled: true, existingSecret: 'my-token' },
      kafka: { brokers: ['k:9092'], topic: 't', sasl: { enabled: true, existingSecret: 'my-sasl' } },
    };
    const result = await helm(['template', RELEASE, CHART, '-f', valuesFile('existing-secrets', values)]);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(/^kind: Secret$/m);
    expect(result.stdout).toContain('name: my-token');
    expect(result.stdout).toContain('name: my-sasl');
  });
});

describe('k8s/ plain manifests', () => {
  it('k8s/base equals the chart rendered with default values (minus the Helm-only labels)', async () => {
    const built = await kubectl(['kustomize', join(repo, 'k8s', 'base')]);
    expect(built.code).toBe(0);
    const key = (o: { kind: string; metadata: { name: string } }) => `${o.kind}/${o.metadata.name}`;
    const sorted = (text: string) =>
      (loadAllYaml(text) as { kind: string; metadata: { name: string } }[])
        .filter(Boolean)
        .sort((a, b) => key(a).localeCompare(key(b)));
    expect(sorted(built.stdout)).toEqual(sorted(renderPlainManifests(helmPath())));
  });

  it('every container mounts volumes its pod declares, once each, and the producer reads its stream from one', () => {
    // yaml's strict parse refuses a key given twice (a second volumeMounts would silently replace the first elsewhere).
    const documents = parseAllDocuments(renderPlainManifests(helmPath()), { uniqueKeys: true });
    for (const document of documents) expect(document.errors).toEqual([]);
    type Pod = {
      volumes?: { name: string }[];
      containers: { name: string; volumeMounts?: { name: string; mountPath: string }[] }[];
    };
    const workloads = documents
      .map((document) => document.toJS() as { kind?: string; metadata: { name: string }; spec?: { template?: { spec: Pod } } })
      .filter((object) => object?.spec?.template);
    expect(workloads.length).toBeGreaterThan(2);
    for (const workload of workloads) {
      const pod = workload.spec!.template!.spec;
      const volumes = (pod.volumes ?? []).map((volume) => volume.name);
      for (const container of pod.containers) {
        const mounts = (container.volumeMounts ?? []).map((mount) => mount.name);
        expect({ workload: workload.metadata.name, missing: mounts.filter((name) => !volumes.includes(name)) }).toEqual({
          workload: workload.metadata.name,
          missing: [],
        });
        expect(mounts).toContain('tmp');
      }
    }
    const producer = workloads.find((workload) => workload.kind === 'Deployment' && workload.metadata.name.includes('producer'));
    const mount = producer!.spec!.template!.spec.containers[0]!.volumeMounts!.find((entry) => entry.name === 'stream');
    expect(mount?.mountPath).toBe('/etc/tormenta/stream');
  });

  it('the example overlay builds and points the images at its registry', async () => {
    const built = await kubectl(['kustomize', join(repo, 'k8s', 'overlays', 'example')]);
    expect(built.code).toBe(0);
    const images = [...built.stdout.matchAll(/image: (\S+)/g)].map((match) => match[1]);
    expect(new Set(images)).toEqual(
      new Set(['producer', 'consumer', 'autoscaler'].map((name) => `registry.example.com/tormenta/${name}:0.1.0`)),
    );
    expect(built.stdout).toContain('maxPerHour: 400');
  });
});

describe('helm install with defaults, Pod Security "restricted" enforced', () => {
  const config = adminConfig();
  const apps = config.makeApiClient(AppsV1Api);
  const core = config.makeApiClient(CoreV1Api);
  let ns: TestNamespace;

  beforeAll(async () => {
    ns = await createTestNamespace({ restricted: true });
  });
  afterAll(async () => {
    await ns?.delete();
  });

  it('rolls out: every Deployment Available, no pod refused by admission', async () => {
    const install = await helm(['install', RELEASE, CHART, '-n', ns.name, '--wait', '--timeout', '120s']);
    expect(install.stderr).toBe('');
    expect(install.code).toBe(0);
    expect(install.stdout).toContain('STATUS: deployed');
    expect(install.stdout).toContain('Watch it work');

    // helm --wait watches the new ReplicaSets; the deployment controller writes the Deployments' status a moment later.
    const deployments = await eventually(
      'every Deployment Available',
      async () => {
        const items = (await apps.listNamespacedDeployment({ namespace: ns.name })).items;
        const settled = items.every((d) => d.status?.conditions?.some((c) => c.type === 'Available' && c.status === 'True'));
        return settled && items.find((d) => d.metadata!.name === 'tormenta-autoscaler')?.status?.readyReplicas === 2
          ? items
          : undefined;
      },
      30_000,
    );
    expect(deployments.map((d) => d.metadata!.name).sort()).toEqual([
      'tormenta-autoscaler',
      'tormenta-consumer-1s',
      'tormenta-producer-push',
    ]);
    for (const deployment of deployments) {
      const available = deployment.status?.conditions?.find((condition) => condition.type === 'Available');
      expect({ name: deployment.metadata!.name, available: available?.status }).toEqual({
        name: deployment.metadata!.name,
        available: 'True',
      });
    }
    expect(deployments.find((d) => d.metadata!.name === 'tormenta-autoscaler')!.status!.readyReplicas).toBe(2);
    const warnings = (await core.listNamespacedEvent({ namespace: ns.name })).items.filter((e) => e.reason === 'FailedCreate');
    expect(warnings.map((e) => e.message)).toEqual([]);
  });

  it('creates the budget ConfigMap: 200 USD/hour, producer at 10 USD per replica-hour (cap 20)', async () => {
    const configMap = await core.readNamespacedConfigMap({ name: 'tormenta-autoscaler', namespace: ns.name });
    const budget = loadAllYaml(configMap.data!['config.yaml']!)[0] as {
      budget: { maxPerHour: number; currency: string };
      targets: { name: string; namespace: string; costPerReplicaHour: number }[];
    };
    expect(budget.budget).toEqual({ currency: 'USD', maxPerHour: 200 });
    expect(budget.targets).toMatchObject([{ name: 'tormenta-producer-push', namespace: ns.name, costPerReplicaHour: 10 }]);
    expect(Math.floor(budget.budget.maxPerHour / budget.targets[0]!.costPerReplicaHour)).toBe(20);
  });

  it('ships the three dashboards as ConfigMaps labelled grafana_dashboard=1, each valid JSON', async () => {
    const list = await core.listNamespacedConfigMap({ namespace: ns.name, labelSelector: 'grafana_dashboard=1' });
    const dashboards = list.items.map((item: V1ConfigMap) => {
      const [file, json] = Object.entries(item.data ?? {})[0]!;
      return [file, (JSON.parse(json) as { title: string }).title];
    });
    expect(dashboards.sort()).toEqual([
      ['autoscaler.json', 'tormenta / autoscaler'],
      ['consumer.json', 'tormenta / consumer'],
      ['ingest.json', 'tormenta / ingest'],
    ]);
  });

  it('gives each ServiceAccount least privilege (kubectl auth can-i --list)', async () => {
    expect(await canIList(ns.name, 'tormenta-consumer')).toEqual([]);
    expect(await canIList(ns.name, 'tormenta-producer')).toEqual([]);
    expect(await canIList(ns.name, 'tormenta-autoscaler')).toEqual(
      [
        'configmaps [tormenta-autoscaler] [get list watch]',
        'configmaps [] [create]',
        'configmaps [tormenta-autoscaler-status] [get update]',
        'deployments.apps/scale [tormenta-producer-push] [get update]',
        'deployments.apps [tormenta-producer-push] [get]',
        'events [] [create]',
        'leases.coordination.k8s.io [] [create]',
        'leases.coordination.k8s.io [tormenta-autoscaler] [get update]',
      ].sort(),
    );
    // Names outside its own: refused.
    const other = await kubectl([
      'auth',
      'can-i',
      'update',
      'deployments/tormenta-consumer-1s',
      '--subresource=scale',
      '-n',
      ns.name,
      ...impersonate(ns.name, 'tormenta-autoscaler'),
    ]);
    expect(other.stdout.trim()).toBe('no');
    const secrets = await kubectl([
      'auth',
      'can-i',
      'get',
      'secrets',
      '-n',
      ns.name,
      ...impersonate(ns.name, 'tormenta-autoscaler'),
    ]);
    expect(secrets.stdout.trim()).toBe('no');
  });

  it('gives each consumer its sink as a file: the chart default is sinks/transacciones.yaml, another sink its own', async () => {
    const sinkOf = async (consumer: string) => {
      const configMap = await core.readNamespacedConfigMap({ name: `tormenta-consumer-${consumer}-sink`, namespace: ns.name });
      return loadAllYaml(configMap.data!['sink.yaml']!)[0];
    };
    expect(await sinkOf('1s')).toEqual(defaultConsumer.sink);
    const upgrade = await helm([
      'upgrade',
      RELEASE,
      CHART,
      '-n',
      ns.name,
      '--wait',
      '--timeout',
      '120s',
      '-f',
      valuesFile('with-iss-sink', { consumers: [defaultConsumer, issConsumer] }),
    ]);
    expect(upgrade.code).toBe(0);
    expect(await sinkOf('iss-10s')).toEqual(issConsumer.sink);
    const iss = await apps.readNamespacedDeployment({ name: 'tormenta-consumer-iss-10s', namespace: ns.name });
    const pod = iss.spec!.template.spec!;
    const container = pod.containers[0]!;
    expect(container.env?.find((variable) => variable.name === 'CONSUMER_SINK_FILE')?.value).toBe('/etc/tormenta/sink/sink.yaml');
    expect(container.env?.map((variable) => variable.name)).not.toContain('CONSUMER_GROUP_ID');
    expect(container.volumeMounts?.find((mount) => mount.name === 'sink')).toMatchObject({
      mountPath: '/etc/tormenta/sink',
      readOnly: true,
    });
    expect(pod.volumes?.find((volume) => volume.name === 'sink')?.projected?.sources?.[0]?.configMap?.name).toBe(
      'tormenta-consumer-iss-10s-sink',
    );
    expect(iss.metadata!.labels!['tormenta.io/sink']).toBe('iss');
    await eventually('tormenta-consumer-iss-10s Available', async () => {
      const d = await apps.readNamespacedDeployment({ name: 'tormenta-consumer-iss-10s', namespace: ns.name });
      return d.status?.availableReplicas === 1 ? true : undefined;
    });
  });

  it('gives the producer a Lease, and only that, once a pull source runs — leader + standby by default, not autoscaled', async () => {
    const upgrade = await helm([
      'upgrade',
      RELEASE,
      CHART,
      '-n',
      ns.name,
      '--wait',
      '--timeout',
      '120s',
      '-f',
      valuesFile('with-poll', { producers: [defaultProducer, pollProducer] }),
    ]);
    expect(upgrade.code).toBe(0);
    expect(await canIList(ns.name, 'tormenta-producer')).toEqual([
      'leases.coordination.k8s.io [] [create]',
      'leases.coordination.k8s.io [tormenta-producer-poll] [get update]',
    ]);
    const poll = await apps.readNamespacedDeployment({ name: 'tormenta-producer-poll', namespace: ns.name });
    expect(poll.spec!.template.spec!.automountServiceAccountToken).toBe(true);
    expect(poll.spec!.replicas).toBe(2);
    const budget = await core.readNamespacedConfigMap({ name: 'tormenta-autoscaler', namespace: ns.name });
    expect(budget.data!['config.yaml']).toContain('tormenta-producer-push');
    expect(budget.data!['config.yaml']).not.toContain('tormenta-producer-poll');
    const push = await apps.readNamespacedDeployment({ name: 'tormenta-producer-push', namespace: ns.name });
    expect(push.spec!.template.spec!.automountServiceAccountToken).toBe(false);
    await eventually('tormenta-producer-poll Available', async () => {
      const d = await apps.readNamespacedDeployment({ name: 'tormenta-producer-poll', namespace: ns.name });
      return d.status?.availableReplicas === 2 ? true : undefined;
    });
  });
});
