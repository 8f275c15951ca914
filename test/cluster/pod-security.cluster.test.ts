// The PodSecurity admission plugin is on: a namespace labelled to enforce "restricted" rejects a privileged pod and
// admits one that meets the profile.
import { ApiException, CoreV1Api } from '@kubernetes/client-node';
import type { V1Pod } from '@kubernetes/client-node';
import { adminConfig, createTestNamespace } from './helpers.ts';
import type { TestNamespace } from './helpers.ts';

const IMAGE = 'registry.k8s.io/pause:3.10';

const privilegedPod: V1Pod = {
  metadata: { name: 'privileged' },
  spec: { containers: [{ name: 'main', image: IMAGE, securityContext: { privileged: true } }] },
};

const restrictedPod: V1Pod = {
  metadata: { name: 'restricted' },
  spec: {
    securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [
      {
        name: 'main',
        image: IMAGE,
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
      },
    ],
  },
};

describe('Pod Security admission', () => {
  const core = adminConfig().makeApiClient(CoreV1Api);
  let restricted: TestNamespace;
  let open: TestNamespace;

  beforeEach(async () => {
    [restricted, open] = await Promise.all([createTestNamespace({ restricted: true }), createTestNamespace()]);
  });
  afterEach(async () => {
    await Promise.all([restricted.delete(), open.delete()]);
  });

  it('rejects a privileged pod where "restricted" is enforced', async () => {
    const rejection = await core.createNamespacedPod({ namespace: restricted.name, body: privilegedPod }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(rejection).toBeInstanceOf(ApiException);
    const apiError = rejection as ApiException<unknown>;
    expect(apiError.code).toBe(403);
    const status = (typeof apiError.body === 'string' ? JSON.parse(apiError.body) : apiError.body) as { message?: string };
    expect(status.message).toMatch(/violates PodSecurity "restricted:latest": privileged \(container "main"/);
  });

  it('admits a pod that meets "restricted", and a privileged pod where nothing is enforced', async () => {
    const admitted = await core.createNamespacedPod({ namespace: restricted.name, body: restrictedPod });
    expect(admitted.metadata?.uid).toBeTruthy();
    const privileged = await core.createNamespacedPod({ namespace: open.name, body: privilegedPod });
    expect(privileged.spec?.containers[0]?.securityContext?.privileged).toBe(true);
  });
});
