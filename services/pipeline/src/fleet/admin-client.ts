// The fleet's admin endpoint as the autoscaler's and the pipeline's scale port: read and set the replica count.
import type { FleetStatus } from './protocol.ts';

export class FleetAdminClient {
  readonly #url: string;

  constructor(adminUrl: string) {
    this.#url = `${adminUrl.replace(/\/$/, '')}/replicas`;
  }

  async read(): Promise<FleetStatus> {
    const response = await fetch(this.#url, { signal: AbortSignal.timeout(2_000) });
    if (!response.ok) throw new Error(`fleet admin ${this.#url}: ${response.status} ${await response.text()}`);
    return (await response.json()) as FleetStatus;
  }

  async write(replicas: number): Promise<FleetStatus> {
    const response = await fetch(this.#url, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ replicas }),
      signal: AbortSignal.timeout(2_000),
    });
    if (!response.ok) throw new Error(`fleet admin ${this.#url}: ${response.status} ${await response.text()}`);
    return (await response.json()) as FleetStatus;
  }
}
