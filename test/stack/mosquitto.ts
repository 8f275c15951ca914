// Eclipse Mosquitto from Debian's package: the MQTT 5 broker the mqtt Client Source is tested against (shared
// subscriptions, persistent sessions). Bound to the loopback, anonymous, with its persistence under the state directory.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { componentDir, endpoints, host, ports } from './layout.ts';
import { requireMosquitto } from './prerequisites.ts';
import { runningPid, startProcess, waitUntil } from './processes.ts';

export const MOSQUITTO = 'mosquitto';

function config(dir: string): string {
  // `user`: started as root, mosquitto would otherwise switch to the `mosquitto` user and lose access to the state dir.
  return `# written by tormenta's stack; edits are overwritten on the next start
listener ${ports.mqtt} ${host}
allow_anonymous true
persistence true
persistence_location ${join(dir, 'data')}/
autosave_interval 5
log_dest stderr
log_type error
log_type warning
log_type notice
log_timestamp_format %Y-%m-%dT%H:%M:%S
user ${userInfo().username}
`;
}

export async function startMosquitto(): Promise<boolean> {
  if (runningPid(MOSQUITTO) !== undefined) return false;
  const binary = requireMosquitto();
  const dir = componentDir(MOSQUITTO);
  mkdirSync(join(dir, 'data'), { recursive: true });
  const configFile = join(dir, 'mosquitto.conf');
  writeFileSync(configFile, config(dir));
  startProcess({ name: MOSQUITTO, command: binary, args: ['-c', configFile] });
  await waitUntil(MOSQUITTO, 'ready', mosquittoHealthy, 30_000);
  return true;
}

/** A real client connects, subscribes, and gets its own QoS 1 message back. */
export async function mosquittoHealthy(): Promise<boolean> {
  const topic = `_tormenta/health/${randomBytes(4).toString('hex')}`;
  const client = await connectAsync(endpoints.mqtt, { protocolVersion: 5, reconnectPeriod: 0, connectTimeout: 2_000 });
  try {
    const received = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 2_000);
      client.on('message', (got, payload) => {
        if (got !== topic || payload.toString() !== 'ping') return;
        clearTimeout(timer);
        resolve(true);
      });
    });
    await client.subscribeAsync(topic, { qos: 1 });
    await client.publishAsync(topic, 'ping', { qos: 1 });
    return await received;
  } finally {
    await client.endAsync(true);
  }
}
