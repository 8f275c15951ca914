// HBase 2.6 standalone (master, region server and ZooKeeper in one JVM, data on the local disk) and its REST server,
// from Maven Central jars, with the Java 17 flags HBase's own bin/hbase launcher passes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { componentDir, endpoints, host, ports } from './layout.ts';
import { classpath, requireJava17, resolveJars } from './prerequisites.ts';
import { isPortOpen, runningPid, startProcess, waitUntil } from './processes.ts';

export const HBASE = 'hbase';
export const HBASE_REST = 'hbase-rest';
const HEALTH_TABLE = '_tormenta_health';

/** From bin/hbase for JDK 11+: the shaded netty and protobuf reach into JDK internals. */
export const java17Flags = [
  '-Dorg.apache.hbase.thirdparty.io.netty.tryReflectionSetAccessible=true',
  '--add-modules',
  'jdk.unsupported',
  ...[
    'java.io',
    'java.nio',
    'sun.nio.ch',
    'java.lang',
    'jdk.internal.ref',
    'java.lang.reflect',
    'java.util',
    'java.util.concurrent',
  ].flatMap((pkg) => ['--add-opens', `java.base/${pkg}=ALL-UNNAMED`]),
  ...[
    'java.base/jdk.internal.misc',
    'java.security.jgss/sun.security.krb5',
    'java.base/sun.net.dns',
    'java.base/sun.net.util',
  ].flatMap((pkg) => ['--add-exports', `${pkg}=ALL-UNNAMED`]),
];

function hbaseSite(dir: string): string {
  const properties: Record<string, string | number> = {
    'hbase.cluster.distributed': 'false',
    'hbase.rootdir': `file://${join(dir, 'root')}`,
    'hbase.tmp.dir': join(dir, 'tmp'),
    'hbase.unsafe.stream.capability.enforce': 'false',
    'hbase.zookeeper.quorum': host,
    'hbase.zookeeper.property.clientPort': ports.zookeeper,
    'hbase.zookeeper.property.dataDir': join(dir, 'zookeeper'),
    'hbase.master.hostname': host,
    'hbase.unsafe.regionserver.hostname': host,
    'hbase.master.ipc.address': host,
    'hbase.regionserver.ipc.address': host,
    'hbase.master.port': ports.hbaseMaster,
    'hbase.master.info.port': ports.hbaseMasterInfo,
    'hbase.master.info.bindAddress': host,
    'hbase.regionserver.port': ports.hbaseRegionServer,
    'hbase.regionserver.info.port': -1,
    'hbase.rest.host': host,
    'hbase.rest.port': ports.hbaseRest,
    'hbase.rest.info.port': -1,
    // Standalone mode still waits for the balancer and procedure store; these keep a cold start short.
    'hbase.master.wait.on.regionservers.mintostart': 1,
    'hbase.master.namespace.init.timeout': 120_000,
  };
  const body = Object.entries(properties)
    .map(([name, value]) => `  <property><name>${name}</name><value>${value}</value></property>`)
    .join('\n');
  return `<?xml version="1.0"?>\n<!-- written by tormenta's stack; edits are overwritten on the next start -->\n<configuration>\n${body}\n</configuration>\n`;
}

const log4j = `log4j.rootLogger=INFO,out
log4j.appender.out=org.apache.log4j.ConsoleAppender
log4j.appender.out.layout=org.apache.log4j.PatternLayout
log4j.appender.out.layout.ConversionPattern=%d{ISO8601} %p [%t] %c{2}: %m%n
log4j.logger.org.apache.zookeeper=WARN
log4j.logger.org.apache.hadoop=WARN
log4j.logger.org.apache.hadoop.hbase=INFO
`;

function jvmArgs(confDir: string, jars: string, heap: string): string[] {
  return [
    `-Xmx${heap}`,
    '-XX:+UseG1GC',
    '-Djava.net.preferIPv4Stack=true',
    ...java17Flags,
    '-cp',
    `${confDir}:${classpath(jars)}`,
  ];
}

export async function startHBase(): Promise<boolean> {
  if (runningPid(HBASE) !== undefined) return false;
  const java = requireJava17();
  const jars = resolveJars('hbase');
  const dir = componentDir(HBASE);
  const confDir = join(dir, 'conf');
  mkdirSync(confDir, { recursive: true });
  writeFileSync(join(confDir, 'hbase-site.xml'), hbaseSite(dir));
  writeFileSync(join(confDir, 'log4j.properties'), log4j);
  startProcess({
    name: HBASE,
    command: java,
    args: [...jvmArgs(confDir, jars, '1g'), 'org.apache.hadoop.hbase.master.HMaster', 'start'],
  });
  await waitUntil(HBASE, 'master web port open', () => isPortOpen(host, ports.hbaseMasterInfo), 120_000);
  return true;
}

export async function startHBaseRest(): Promise<boolean> {
  if (runningPid(HBASE_REST) !== undefined) return false;
  const java = requireJava17();
  const jars = resolveJars('hbase');
  const confDir = join(componentDir(HBASE), 'conf');
  startProcess({
    name: HBASE_REST,
    command: java,
    args: [...jvmArgs(confDir, jars, '512m'), 'org.apache.hadoop.hbase.rest.RESTServer', '-p', String(ports.hbaseRest), 'start'],
  });
  await waitUntil(HBASE_REST, 'REST port open', () => isPortOpen(host, ports.hbaseRest), 90_000);
  await waitUntil(HBASE_REST, 'a table created and a row put and read back through REST', hbaseHealthy, 180_000);
  return true;
}

/** Creates the health table if needed, puts one row and reads it back: the whole write and read path answers. */
export async function hbaseHealthy(): Promise<boolean> {
  const base = endpoints.hbaseRest;
  const json = { 'Content-Type': 'application/json', Accept: 'application/json' };
  const schema = await fetch(`${base}/${HEALTH_TABLE}/schema`, {
    method: 'PUT',
    headers: json,
    body: JSON.stringify({ name: HEALTH_TABLE, ColumnSchema: [{ name: 'f' }] }),
  });
  if (!schema.ok) throw new Error(`create table answered ${schema.status}`);
  const value = new Date().toISOString();
  const b64 = (text: string): string => Buffer.from(text).toString('base64');
  const put = await fetch(`${base}/${HEALTH_TABLE}/probe`, {
    method: 'PUT',
    headers: json,
    body: JSON.stringify({ Row: [{ key: b64('probe'), Cell: [{ column: b64('f:at'), $: b64(value) }] }] }),
  });
  if (!put.ok) throw new Error(`put answered ${put.status}`);
  const get = await fetch(`${base}/${HEALTH_TABLE}/probe/f:at`, { headers: { Accept: 'application/octet-stream' } });
  if (!get.ok) throw new Error(`get answered ${get.status}`);
  return (await get.text()) === value;
}
