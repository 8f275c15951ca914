// Where the stack keeps things: downloads and builds in a per-machine cache (kept between runs), logs, pids and data in a
// per-checkout state directory. Ports are fixed defaults that a user can move with environment variables.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { StackError } from './errors.ts';

export const repoRoot = resolve(import.meta.dirname, '..', '..');
export const cacheDir = process.env.TORMENTA_CACHE ?? join(homedir(), '.cache', 'tormenta');
export const stateDir = process.env.TORMENTA_STATE ?? join(repoRoot, '.tormenta');
export const host = '127.0.0.1';

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new StackError(`${name} must be a TCP port (1-65535), got "${raw}"`);
  }
  return value;
}

export const ports = {
  kafka: port('TORMENTA_KAFKA_PORT', 9092),
  kafkaController: port('TORMENTA_KAFKA_CONTROLLER_PORT', 9093),
  zookeeper: port('TORMENTA_ZOOKEEPER_PORT', 2181),
  hbaseMaster: port('TORMENTA_HBASE_MASTER_PORT', 16000),
  hbaseMasterInfo: port('TORMENTA_HBASE_MASTER_INFO_PORT', 16010),
  hbaseRegionServer: port('TORMENTA_HBASE_REGIONSERVER_PORT', 16020),
  hbaseRest: port('TORMENTA_HBASE_REST_PORT', 8080),
  prometheus: port('TORMENTA_PROMETHEUS_PORT', 9090),
  mqtt: port('TORMENTA_MQTT_PORT', 1883),
  drillUser: port('TORMENTA_DRILL_USER_PORT', 31010),
  drillControl: port('TORMENTA_DRILL_CONTROL_PORT', 31011),
  drillData: port('TORMENTA_DRILL_DATA_PORT', 31012),
  drillHttp: port('TORMENTA_DRILL_HTTP_PORT', 8047),
};

/** Addresses the services and tests use to reach the stack. */
export const endpoints = {
  kafkaBrokers: [`${host}:${ports.kafka}`],
  hbaseRest: `http://${host}:${ports.hbaseRest}`,
  prometheus: `http://${host}:${ports.prometheus}`,
  mqtt: `mqtt://${host}:${ports.mqtt}`,
  /** Apache Drill over JDBC (what BI tools and `npm run sql` use); started on demand, not by `npm run stack -- up`. */
  drillJdbc: `jdbc:drill:drillbit=${host}:${ports.drillUser}`,
  drillHttp: `http://${host}:${ports.drillHttp}`,
};

export function componentDir(component: string): string {
  return join(stateDir, component);
}
