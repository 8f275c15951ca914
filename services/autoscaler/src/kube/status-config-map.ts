// The leader's status for `kubectl get/describe configmap <autoscaler>-status`: replaced each pass with the
// resourceVersion it read (created when missing). Best effort: a failed write is reported to the caller, which counts
// and logs it; scaling never waits on it.
import { CoreV1Api } from '@kubernetes/client-node';
import type { KubeConfig, V1ConfigMap } from '@kubernetes/client-node';

export const STATUS_LABELS = { 'app.kubernetes.io/component': 'autoscaler', 'autoscaler.tormenta.io/status': 'true' };

export class StatusConfigMap {
  readonly #core: CoreV1Api;
  readonly #namespace: string;
  readonly #name: string;

  constructor(kubeConfig: KubeConfig, namespace: string, name: string) {
    this.#core = kubeConfig.makeApiClient(CoreV1Api);
    this.#namespace = namespace;
    this.#name = name;
  }

  async write(data: Record<string, string>): Promise<void> {
    const name = this.#name;
    const namespace = this.#namespace;
    let existing: V1ConfigMap | undefined;
    try {
      existing = await this.#core.readNamespacedConfigMap({ name, namespace });
    } catch (error) {
      if ((error as { code?: number }).code !== 404) throw error;
    }
    const body: V1ConfigMap = {
      metadata: {
        name,
        namespace,
        labels: { ...existing?.metadata?.labels, ...STATUS_LABELS },
        ...(existing?.metadata?.resourceVersion === undefined ? {} : { resourceVersion: existing.metadata.resourceVersion }),
      },
      data,
    };
    if (existing === undefined) await this.#core.createNamespacedConfigMap({ namespace, body });
    else await this.#core.replaceNamespacedConfigMap({ name, namespace, body });
  }
}
