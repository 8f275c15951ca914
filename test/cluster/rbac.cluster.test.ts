// `kubectl auth can-i` as a ServiceAccount answers from the Role bound to it — authenticated with the
// ServiceAccount's own bound token, and through impersonation.
import { CoreV1Api, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { adminConfig, createTestNamespace, impersonate, kubectl, serviceAccountKubeconfig } from './helpers.ts';
import type { TestNamespace } from './helpers.ts';

describe('RBAC for a ServiceAccount', () => {
  const config = adminConfig();
  const core = config.makeApiClient(CoreV1Api);
  const rbac = config.makeApiClient(RbacAuthorizationV1Api);
  let ns: TestNamespace;
  let other: TestNamespace;

  beforeEach(async () => {
    [ns, other] = await Promise.all([createTestNamespace(), createTestNamespace()]);
    const namespace = ns.name;
    await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: 'autoscaler' } } });
    await rbac.createNamespacedRole({
      namespace,
      body: {
        metadata: { name: 'scaler' },
        rules: [
          { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch'] },
          { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['get', 'update', 'patch'] },
        ],
      },
    });
    await rbac.createNamespacedRoleBinding({
      namespace,
      body: {
        metadata: { name: 'autoscaler-scaler' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'scaler' },
        subjects: [{ kind: 'ServiceAccount', name: 'autoscaler', namespace }],
      },
    });
  });
  afterEach(async () => {
    await Promise.all([ns.delete(), other.delete()]);
  });

  it('allows what the Role grants and nothing else, with the ServiceAccount token', async () => {
    const asServiceAccount = await serviceAccountKubeconfig(ns.name, 'autoscaler');
    const canI = (...args: string[]) => kubectl(['auth', 'can-i', ...args], asServiceAccount);

    const whoami = await kubectl(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'], asServiceAccount);
    expect(whoami.stdout).toBe(`system:serviceaccount:${ns.name}:autoscaler`);

    expect(await canI('update', 'deployments.apps', '--subresource=scale', '-n', ns.name)).toMatchObject({
      code: 0,
      stdout: 'yes\n',
    });
    expect(await canI('list', 'deployments.apps', '-n', ns.name)).toMatchObject({ code: 0, stdout: 'yes\n' });
    expect(await canI('delete', 'deployments.apps', '-n', ns.name)).toMatchObject({ code: 1, stdout: 'no\n' });
    expect(await canI('list', 'secrets', '-n', ns.name)).toMatchObject({ code: 1, stdout: 'no\n' });
    expect(await canI('list', 'deployments.apps', '-n', other.name)).toMatchObject({ code: 1, stdout: 'no\n' });
  }, 60_000);

  it('gives the same answers when the admin impersonates the ServiceAccount', async () => {
    const as = impersonate(ns.name, 'autoscaler');
    const canI = (...args: string[]) => kubectl(['auth', 'can-i', ...as, ...args]);

    expect(await canI('patch', 'deployments.apps', '--subresource=scale', '-n', ns.name)).toMatchObject({ code: 0 });
    expect(await canI('create', 'deployments.apps', '-n', ns.name)).toMatchObject({ code: 1, stdout: 'no\n' });
    // The admin itself may do it, so a "no" above comes from the ServiceAccount's Role, not from a broken cluster.
    expect(await kubectl(['auth', 'can-i', 'create', 'deployments.apps', '-n', ns.name])).toMatchObject({ code: 0 });
  }, 60_000);
});
