// `helm install` of the fixture chart rolls it out (--wait: the Deployment must become ready on KWOK nodes) and
// `helm uninstall` removes everything it made.
import { join } from 'node:path';
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { adminConfig, createTestNamespace, eventually, helm } from './helpers.ts';
import type { TestNamespace } from './helpers.ts';

const CHART = join(import.meta.dirname, 'fixtures', 'hello-chart');

describe('Helm on the test cluster', () => {
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

  it('installs the test chart and uninstalls it without leftovers', async () => {
    const namespace = ns.name;
    const install = await helm([
      'install',
      'hello',
      CHART,
      '-n',
      namespace,
      '--set',
      'greeting=hi',
      '--wait',
      '--timeout',
      '90s',
    ]);
    expect(install).toMatchObject({ code: 0, stderr: '' });
    expect(install.stdout).toContain('STATUS: deployed');

    // --wait watches the ReplicaSet; the deployment controller copies its ready count onto the Deployment a moment later.
    const ready = await eventually(
      'the Deployment reporting its ready replicas',
      async () => {
        const deployment = await apps.readNamespacedDeployment({ name: 'hello', namespace });
        return deployment.status?.readyReplicas === 2 ? deployment.status.readyReplicas : undefined;
      },
      15_000,
    );
    expect(ready).toBe(2);
    const configMap = await core.readNamespacedConfigMap({ name: 'hello-greeting', namespace });
    expect(configMap.data).toEqual({ greeting: 'hi' });
    const list = await helm(['list', '-n', namespace, '-q']);
    expect(list.stdout.trim()).toBe('hello');

    const uninstall = await helm(['uninstall', 'hello', '-n', namespace, '--wait', '--timeout', '60s']);
    expect(uninstall).toMatchObject({ code: 0 });
    expect(uninstall.stdout).toContain('release "hello" uninstalled');

    expect((await apps.listNamespacedDeployment({ namespace })).items).toHaveLength(0);
    expect(
      (await core.listNamespacedConfigMap({ namespace, labelSelector: 'app.kubernetes.io/instance=hello' })).items,
    ).toHaveLength(0);
    expect((await helm(['list', '-n', namespace, '-q'])).stdout.trim()).toBe('');
  }, 150_000);
});
