// The benchmark's load generator, kept as cheap as it can be because it shares the machine's cores with the producer:
// bodies serialized once up front as Buffers, plain node:http on keep-alive sockets (one per client), and responses
// drained without being parsed — only the status counts.
import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export const BATCH = 500;

/** Bodies of BATCH max-size transactions; ids repeat across requests, which Kafka does not care about. */
export function bodies(count: number): { payloads: Buffer[]; recordBytes: number } {
  const payloads = Array.from({ length: count }, (_, b) =>
    Buffer.from(
      JSON.stringify(
        Array.from({ length: BATCH }, (_, i) => ({
          ID_PERSONA: 1_000 + i,
          ID_EMPRESA: (i * 7) % 1_000,
          MONTO: 12_345.67 + i,
          id: `${b}-${i}-`.padEnd(128, 'x'),
        })),
      ),
    ),
  );
  return { payloads, recordBytes: Math.round((payloads[0] as Buffer).length / BATCH) };
}

function post(agent: Agent, url: URL, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: '/v1/records',
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': body.length },
      },
      (response) => {
        response.on('data', () => undefined);
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

export interface DriveResult {
  perSecond: number;
  failures: number;
}

/** Clients post back to back (or paced to `rate` records/s in total) for `seconds`; returns acknowledged records/s. */
export async function drive(base: string, payloads: Buffer[], seconds: number, clients: number, rate?: number): Promise<DriveResult> {
  const url = new URL(base);
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const started = Date.now();
  const end = started + seconds * 1_000;
  let acknowledged = 0;
  let failures = 0;
  let sent = 0;
  const client = async (): Promise<void> => {
    while (Date.now() < end) {
      if (rate !== undefined) {
        const due = started + (sent * BATCH * 1_000) / rate;
        if (due > Date.now()) await sleep(due - Date.now());
        if (Date.now() >= end) break;
      }
      const status = await post(agent, url, payloads[sent++ % payloads.length] as Buffer).catch(() => 0);
      if (status === 200) acknowledged += BATCH;
      else failures += 1;
    }
  };
  try {
    await Promise.all(Array.from({ length: clients }, client));
  } finally {
    agent.destroy();
  }
  return { perSecond: acknowledged / ((Date.now() - started) / 1_000), failures };
}
