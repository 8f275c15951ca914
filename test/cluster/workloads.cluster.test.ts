// A Deployment made through @kubernetes/client-node rolls out to Running pods on the KWOK nodes, and its scale
// subresource changes how many pods run.
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import { FAKE_NODES } from './control-plane.ts';
import { adminConfig, createTestNamespace, eventually } from './helpers.ts';
import type { TestNamespace } from './helpers.ts';

const APP = { app: 'storm' };

function deployment(replicas: number): V1Deployment {
  return {
    metadata: { name: 'storm', labels: APP },
    spec: {
      replicas,
      selector: { matchLabels: APP },
      template: {
        metadata: { labels: APP },
        spec: { containers: [{ name: 'storm', image: 'registry.k8s.io/pause:3.10' }] },
      },
    },
  };
}

describe('Deployments on the test cluster', () => {
  const config = adminConfig();
  const apps = config.makeApiClient(AppsV1Api);
  const core = config.makeApiClient(CoreV1Api);
  let ns: TestNamespace;

  beforeEach(async () => {
    ns = await createTestNamespace();
  });
  afterEach(async () => {
    await ns.delete();
  });

  /** Pods of the app that are not being deleted, once exactly `count` of them are Running and Ready. */
  async function runningPods(count: number): Promise<V1Pod[]> {
    return eventually(`${count} Running pods`, async () => {
      const pods = (await core.listNamespacedPod({ namespace: ns.name, labelSelector: 'app=storm' })).items;
      const live = pods.filter((pod) => !pod.metadata?.deletionTimestamp);
      const ready = live.filter(
        (pod) => pod.status?.phase === 'Running' && pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
      );
      return live.length === count && ready.length === count ? ready : undefined;
    });
  }

  it('becomes Available with Running pods scheduled onto KWOK nodes', async () => {
    await apps.createNamespacedDeployment({ namespace: ns.name, body: deployment(2) });

    const available = await eventually('Deployment Available', async () => {
      const d = await apps.readNamespacedDeployment({ name: 'storm', namespace: ns.name });
      const condition = d.status?.conditions?.find((c) => c.type === 'Available');
      return condition?.status === 'True' ? d : undefined;
    });
    expect(available.status?.availableReplicas).toBe(2);

    const pods = await runningPods(2);
    for (const pod of pods) {
      expect(FAKE_NODES).toContain(pod.spec?.nodeName);
      expect(pod.status?.podIP).toBeTruthy();
    }
  }, 120_000);

  /**
   * Read-modify-write of the scale subresource, as a controller does it: the Deployment controller updates the object
   * between our read and our write now and then, and the API server answers 409 Conflict; read again and retry.
   */
  async function scaleTo(replicas: number): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      const scale = await apps.readNamespacedDeploymentScale({ name: 'storm', namespace: ns.name });
      try {
        await apps.replaceNamespacedDeploymentScale({
          name: 'storm',
          namespace: ns.name,
          body: { ...scale, spec: { replicas } },
        });
        return;
      } catch (error) {
        if ((error as { code?: number }).code !== 409 || attempt >= 5) throw error;
      }
    }
  }

  it('changes its pod count through the scale subresource', async () => {
    await apps.createNamespacedDeployment({ namespace: ns.name, body: deployment(1) });
    await runningPods(1);

    expect((await apps.readNamespacedDeploymentScale({ name: 'storm', namespace: ns.name })).spec?.replicas).toBe(1);
    await scaleTo(4);
    expect(await runningPods(4)).toHaveLength(4);

    await scaleTo(2);
    expect(await runningPods(2)).toHaveLength(2);
    const after = await apps.readNamespacedDeployment({ name: 'storm', namespace: ns.name });
    expect(after.spec?.replicas).toBe(2);
  }, 120_000);
});
