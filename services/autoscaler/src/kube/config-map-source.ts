// The autoscaler's config, live from one ConfigMap: list it, then watch it from that resourceVersion; when the watch ends
// or fails, list and watch again after a backoff. Each new content is parsed and validated; an invalid edit is reported
// (and an Event recorded by the caller) while the last valid config stays in force.
import { CoreV1Api, loadYaml, Watch } from '@kubernetes/client-node';
import type { KubeConfig, V1ConfigMap } from '@kubernetes/client-node';
import { parseAutoscalerConfig } from '../config/schema.ts';
import type { AutoscalerConfig } from '../config/schema.ts';

export interface ConfigUpdate {
  config?: AutoscalerConfig;
  rejected?: string;
  resourceVersion: string;
}

export interface ConfigMapSourceOptions {
  namespace: string;
  name: string;
  key: string;
  onUpdate: (update: ConfigUpdate) => void;
  onWatchError?: (error: unknown) => void;
}

const MAX_BACKOFF_MS = 30_000;
const MISSING = 'missing';

export function parseConfigMap(configMap: V1ConfigMap, key: string): { config?: AutoscalerConfig; rejected?: string } {
  const text = configMap.data?.[key];
  if (text === undefined) return { rejected: `ConfigMap has no key "${key}"` };
  try {
    return { config: parseAutoscalerConfig(loadYaml<unknown>(text)) };
  } catch (error) {
    return { rejected: error instanceof Error ? error.message : String(error) };
  }
}

export class ConfigMapSource {
  readonly #core: CoreV1Api;
  readonly #watch: Watch;
  readonly #options: ConfigMapSourceOptions;
  #stopped = false;
  #abort: AbortController | undefined;
  #lastVersion = '';
  #timer: NodeJS.Timeout | undefined;

  constructor(kubeConfig: KubeConfig, options: ConfigMapSourceOptions) {
    this.#core = kubeConfig.makeApiClient(CoreV1Api);
    this.#watch = new Watch(kubeConfig);
    this.#options = options;
  }

  start(): void {
    void this.#listAndWatch(0);
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#abort?.abort();
  }

  async #listAndWatch(failures: number): Promise<void> {
    if (this.#stopped) return;
    const { namespace, name } = this.#options;
    try {
      const configMap = await this.#core.readNamespacedConfigMap({ name, namespace });
      if (this.#stopped) return;
      this.#deliver(configMap);
      this.#abort = await this.#watch.watch(
        `/api/v1/namespaces/${namespace}/configmaps`,
        { fieldSelector: `metadata.name=${name}`, resourceVersion: configMap.metadata?.resourceVersion },
        (phase: string, object: V1ConfigMap) => {
          if (phase === 'ADDED' || phase === 'MODIFIED') this.#deliver(object);
          if (phase === 'DELETED') {
            this.#options.onUpdate({ rejected: 'ConfigMap deleted', resourceVersion: object.metadata?.resourceVersion ?? '' });
          }
        },
        (error: unknown) => {
          if (error) this.#options.onWatchError?.(error);
          this.#schedule(error ? failures + 1 : 0);
        },
      );
      if (this.#stopped) this.#abort.abort();
    } catch (error) {
      this.#options.onWatchError?.(error);
      // Reported once, not on every relist while it stays missing.
      if ((error as { code?: number }).code === 404 && this.#lastVersion !== MISSING) {
        this.#lastVersion = MISSING;
        this.#options.onUpdate({ rejected: `ConfigMap ${namespace}/${name} not found`, resourceVersion: '' });
      }
      this.#schedule(failures + 1);
    }
  }

  #deliver(configMap: V1ConfigMap): void {
    const resourceVersion = configMap.metadata?.resourceVersion ?? '';
    if (resourceVersion === this.#lastVersion) return;
    this.#lastVersion = resourceVersion;
    this.#options.onUpdate({ ...parseConfigMap(configMap, this.#options.key), resourceVersion });
  }

  #schedule(failures: number): void {
    if (this.#stopped) return;
    const delay = failures === 0 ? 0 : Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.min(failures, 6));
    this.#timer = setTimeout(() => void this.#listAndWatch(failures), delay);
  }
}
