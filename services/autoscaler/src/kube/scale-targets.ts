// Reads and writes the scale subresource of the workloads the autoscaler drives. Writes carry the resourceVersion that
// was read, so a concurrent `kubectl scale` makes our write fail with 409 instead of being silently overwritten.
import { AppsV1Api } from '@kubernetes/client-node';
import type { KubeConfig, V1Scale } from '@kubernetes/client-node';
import type { PodTemplateResources } from '../cost/pod-requests.ts';

/** Put on a Deployment or StatefulSet to leave it to manual `kubectl scale`. */
export const PAUSE_ANNOTATION = 'autoscaler.tormenta.io/paused';

export interface TargetRef {
  kind: 'Deployment' | 'StatefulSet';
  namespace: string;
  name: string;
}

export interface ObservedScale {
  replicas: number;
  pausedByAnnotation: boolean;
  scale: V1Scale;
  /** The pod template's containers, for a cost derived from their requests (absent outside Kubernetes). */
  podTemplate?: PodTemplateResources;
}

export class ScaleTargets {
  readonly #apps: AppsV1Api;

  constructor(kubeConfig: KubeConfig) {
    this.#apps = kubeConfig.makeApiClient(AppsV1Api);
  }

  async read(target: TargetRef): Promise<ObservedScale> {
    const request = { name: target.name, namespace: target.namespace };
    const [workload, scale] =
      target.kind === 'Deployment'
        ? await Promise.all([this.#apps.readNamespacedDeployment(request), this.#apps.readNamespacedDeploymentScale(request)])
        : await Promise.all([this.#apps.readNamespacedStatefulSet(request), this.#apps.readNamespacedStatefulSetScale(request)]);
    return {
      replicas: scale.spec?.replicas ?? 0,
      pausedByAnnotation: workload.metadata?.annotations?.[PAUSE_ANNOTATION] === 'true',
      scale,
      ...(workload.spec?.template.spec === undefined ? {} : { podTemplate: workload.spec.template.spec }),
    };
  }

  async write(target: TargetRef, observed: ObservedScale, replicas: number): Promise<void> {
    try {
      await this.#replace(target, observed.scale, replicas);
    } catch (error) {
      if ((error as { code?: number }).code !== 409) throw error;
      // The workload's controller bumps the resourceVersion with every status update. Retry once on a fresh read, but
      // only if nobody changed the replica count we decided from (a manual scale wins until the next pass).
      const fresh = await this.read(target);
      if (fresh.replicas !== observed.replicas) throw error;
      await this.#replace(target, fresh.scale, replicas);
    }
  }

  async #replace(target: TargetRef, scale: V1Scale, replicas: number): Promise<void> {
    // A fresh object, not the one read: cached objects are never mutated.
    const body: V1Scale = { ...scale, spec: { ...scale.spec, replicas } };
    const request = { name: target.name, namespace: target.namespace, body };
    if (target.kind === 'Deployment') await this.#apps.replaceNamespacedDeploymentScale(request);
    else await this.#apps.replaceNamespacedStatefulSetScale(request);
  }
}
