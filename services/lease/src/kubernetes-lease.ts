// The lease in Kubernetes: a coordination.k8s.io/v1 Lease, written with its resourceVersion so that of two replicas
// racing for it exactly one wins (the API server answers 409 Conflict to the other). The checkpoint rides in an annotation.
import { CoordinationV1Api, KubeConfig } from '@kubernetes/client-node';
import type { V1Lease } from '@kubernetes/client-node';
import type { LeaseRecord, LeaseStore, VersionedLease } from './lease.ts';

const CHECKPOINT_ANNOTATION = 'tormenta.io/checkpoint';

function statusOf(error: unknown): number | undefined {
  return (error as { code?: number }).code;
}

export class KubernetesLeaseStore implements LeaseStore {
  readonly #api: CoordinationV1Api;
  readonly #name: string;
  readonly #namespace: string;

  constructor(name: string, namespace: string, kubeConfig: KubeConfig = defaultKubeConfig()) {
    this.#api = kubeConfig.makeApiClient(CoordinationV1Api);
    this.#name = name;
    this.#namespace = namespace;
  }

  async read(): Promise<VersionedLease> {
    try {
      const lease = await this.#api.readNamespacedLease({ name: this.#name, namespace: this.#namespace });
      const spec = lease.spec ?? {};
      const checkpoint = lease.metadata?.annotations?.[CHECKPOINT_ANNOTATION];
      const record: LeaseRecord = {
        holder: spec.holderIdentity ?? '',
        renewedAtMs: spec.renewTime ? new Date(spec.renewTime).getTime() : 0,
        durationMs: (spec.leaseDurationSeconds ?? 0) * 1000,
      };
      if (checkpoint !== undefined) record.checkpoint = checkpoint;
      return { record, version: lease.metadata?.resourceVersion };
    } catch (error) {
      if (statusOf(error) === 404) return { record: undefined, version: undefined };
      throw error;
    }
  }

  async write(record: LeaseRecord, version: string | undefined): Promise<boolean> {
    const body: V1Lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: this.#name,
        namespace: this.#namespace,
        ...(version === undefined ? {} : { resourceVersion: version }),
        ...(record.checkpoint === undefined ? {} : { annotations: { [CHECKPOINT_ANNOTATION]: record.checkpoint } }),
      },
      spec: {
        holderIdentity: record.holder,
        leaseDurationSeconds: Math.ceil(record.durationMs / 1000),
        renewTime: microTime(record.renewedAtMs),
      },
    };
    try {
      if (version === undefined) await this.#api.createNamespacedLease({ namespace: this.#namespace, body });
      else await this.#api.replaceNamespacedLease({ name: this.#name, namespace: this.#namespace, body });
      return true;
    } catch (error) {
      if (statusOf(error) === 409) return false;
      throw error;
    }
  }
}

/**
 * A Lease's renewTime is a MicroTime, which the API server parses with exactly six fractional digits; the client
 * serializes a Date with toISOString's three, and the write is rejected with 400. So this Date prints six.
 */
function microTime(ms: number): Date {
  const date = new Date(ms);
  date.toISOString = () => Date.prototype.toISOString.call(date).replace(/\.(\d{3})Z$/, '.$1000Z');
  return date;
}

function defaultKubeConfig(): KubeConfig {
  const config = new KubeConfig();
  config.loadFromDefault();
  return config;
}
