// The benchmark's load generator, kept as cheap as it can be because it shares the machine's cores with the producer:
// bodies serialized once up front as Buffers, plain node:http on keep-alive sockets (one per client), and responses
// drained without being parsed — only the status counts.
import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export const BATCH = 500;

export interface Bodies {
  payloads: Buffer[];
  /** Average serialized record size, B. */
  recordBytes: number;
  /** The same records one per line: Kafka's ProducerPerformance `--payload-file`, so the anchor sends what we send. */
  lines: string;
}

function toBodies(count: number, record: (batch: number, index: number) => object): Bodies {
  const batches = Array.from({ length: count }, (_, b) => Array.from({ length: BATCH }, (_, i) => JSON.stringify(record(b, i))));
  const payloads = batches.map((records) => Buffer.from(`[${records.join(',')}]`));
  return {
    payloads,
    recordBytes: Math.round((payloads[0] as Buffer).length / BATCH),
    lines: `${batches.flat().join('\n')}\n`,
  };
}

/** Max-size transactions (~190 B); ids repeat across requests, which Kafka does not care about. */
export function transactionBodies(count: number): Bodies {
  return toBodies(count, (b, i) => ({
    ID_PERSONA: 1_000 + i,
    ID_EMPRESA: (i * 7) % 1_000,
    MONTO: 12_345.67 + i,
    id: `${b}-${i}-`.padEnd(128, 'x'),
  }));
}

const WORDS = [
  'storm',
  'kafka',
  'hbase',
  'datos',
  'precio',
  'mercado',
  'noticia',
  'gobierno',
  'ciudad',
  'tráfico',
  'lluvia',
  'pandemia',
];

/**
 * ~1 KB social-network posts, the course's record size: real-looking JSON text (words, numbers, nested fields) rather
 * than random bytes, since gzip's ratio — and so both clients' throughput — depends on what the bytes are.
 */
export function postBodies(count: number): Bodies {
  return toBodies(count, (b, i) => {
    const n = b * BATCH + i;
    const words = Array.from({ length: 120 }, (_, w) => WORDS[(n * 31 + w * 7 + ((w * w) % 5)) % WORDS.length]);
    return {
      id: `post-${b}-${i}`,
      user: { id: 100_000 + ((n * 7919) % 90_000), name: `usuario_${(n * 104_729) % 50_000}`, verified: n % 11 === 0 },
      text: words.join(' ').slice(0, 740),
      lang: n % 3 === 0 ? 'en' : 'es',
      geo: { lat: -33.4 + ((n % 997) / 997) * 10, lon: -70.6 + ((n % 991) / 991) * 10 },
      tags: [WORDS[n % WORDS.length], WORDS[(n + 5) % WORDS.length]],
      metrics: { likes: (n * 17) % 5_000, shares: (n * 13) % 700, replies: (n * 3) % 90 },
      createdAt: new Date(Date.UTC(2026, 11, 2) + n * 37).toISOString(),
    };
  });
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
export async function drive(
  base: string,
  payloads: Buffer[],
  seconds: number,
  clients: number,
  rate?: number,
): Promise<DriveResult> {
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
