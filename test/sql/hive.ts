// Apache Hive 3.1.3 itself, on the stack's HBase: its CLI with an embedded Derby metastore under the state dir and local
// MapReduce, jars from Maven Central (test/stack/maven/hive), started on Java 17 through hive-on-java17/ (a class loader
// Hive 3 can cast, one Java 9+ fix compiled once into the cache, the --add-opens its reflection needs). Each call is one
// CLI process that runs a script; the metastore persists between calls, and one call at a time may use it (Derby).
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StackError } from '../stack/errors.ts';
import { java17Flags } from '../stack/hbase.ts';
import { cacheDir, componentDir, host, ports } from '../stack/layout.ts';
import { requireJava17, resolveJars } from '../stack/prerequisites.ts';

const LAUNCHER_DIR = join(import.meta.dirname, 'hive-on-java17');
const SHIM_SOURCE = join(
  LAUNCHER_DIR,
  'org',
  'apache',
  'hadoop',
  'hive',
  'ql',
  'exec',
  'SerializationUtilities$ArrayListSubListSerializer.java',
);

/** Packages Hive 3's Kryo plan serializer and its interning reach into on Java 17. */
const OPENS = [
  'java.base/java.net',
  'java.base/java.util.regex',
  'java.base/java.time',
  'java.base/java.text',
  'java.base/java.util.concurrent.atomic',
  'java.base/java.lang.invoke',
  'java.base/java.math',
  'java.base/java.security',
  'java.base/java.util.stream',
  'java.sql/java.sql',
].flatMap((pkg) => ['--add-opens', `${pkg}=ALL-UNNAMED`]);

function hiveSite(dir: string): string {
  const properties: Record<string, string | number> = {
    'javax.jdo.option.ConnectionURL': `jdbc:derby:;databaseName=${join(dir, 'metastore_db')};create=true`,
    'hive.metastore.schema.verification': 'false',
    'datanucleus.schema.autoCreateAll': 'true',
    'hive.metastore.warehouse.dir': `file://${join(dir, 'warehouse')}`,
    'hive.exec.scratchdir': join(dir, 'scratch'),
    'hive.exec.local.scratchdir': join(dir, 'local-scratch'),
    'hive.downloaded.resources.dir': join(dir, 'resources'),
    'hive.execution.engine': 'mr',
    'mapreduce.framework.name': 'local',
    'hive.stats.autogather': 'false',
    'hbase.zookeeper.quorum': host,
    'hbase.zookeeper.property.clientPort': ports.zookeeper,
  };
  const body = Object.entries(properties)
    .map(([name, value]) => `  <property><name>${name}</name><value>${value}</value></property>`)
    .join('\n');
  return `<?xml version="1.0"?>\n<!-- written by tormenta; edits are overwritten on the next run -->\n<configuration>\n${body}\n</configuration>\n`;
}

/** The Java 9+ replacement class, compiled against Hive's jars once per machine (keyed by its source). */
function compiledShim(jars: string): string {
  const hash = createHash('sha256').update(readFileSync(SHIM_SOURCE)).digest('hex').slice(0, 12);
  const target = join(cacheDir, 'hive-on-java17', hash);
  if (existsSync(join(target, '.complete'))) return target;
  const partial = `${target}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const javac = join(process.env.JAVA_HOME ?? '/usr', 'bin', 'javac');
  const result = spawnSync(javac, ['-nowarn', '-cp', join(jars, '*'), '-d', partial, SHIM_SOURCE], { encoding: 'utf8' });
  if (result.status !== 0) throw new StackError(`hive: compiling ${SHIM_SOURCE} failed: ${result.stderr.trim()}`);
  writeFileSync(join(partial, '.complete'), '');
  rmSync(target, { recursive: true, force: true });
  renameSync(partial, target);
  return target;
}

export interface HiveRun {
  stdout: string;
  stderr: string;
}

/** The java command line of Hive's CLI on Java 17, with its config written; `cliArgs` go to the CLI (-f, -e, -i, -S). */
export function hiveCommand(cliArgs: string[]): { command: string; args: string[]; cwd: string } {
  const java = requireJava17();
  const jars = resolveJars('hive');
  const shim = compiledShim(jars);
  const dir = componentDir('hive');
  for (const sub of ['conf', 'logs', 'local-scratch', 'resources']) mkdirSync(join(dir, sub), { recursive: true });
  // Hive refuses a scratch dir that is not rwx-wx-wx ("should be writable").
  mkdirSync(join(dir, 'scratch'), { recursive: true });
  chmodSync(join(dir, 'scratch'), 0o733);
  writeFileSync(join(dir, 'conf', 'hive-site.xml'), hiveSite(dir));
  const args = [
    '-Xmx1g',
    ...java17Flags,
    ...OPENS,
    `-Dhive.log.dir=${join(dir, 'logs')}`,
    `-Dderby.stream.error.file=${join(dir, 'logs', 'derby.log')}`,
    join(LAUNCHER_DIR, 'HiveLauncher.java'),
    shim,
    join(dir, 'conf'),
    jars,
    'org.apache.hadoop.hive.cli.CliDriver',
    ...cliArgs,
  ];
  return { command: java, args, cwd: dir };
}

/** A file under Hive's state dir holding a script, for -f or -i. */
export function hiveScriptFile(script: string): string {
  const dir = componentDir('hive');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `script-${process.pid}-${Date.now()}.hql`);
  writeFileSync(file, script);
  return file;
}

/** Runs a HiveQL script with Hive's CLI (-S: results only on stdout, tab-separated, NULL for a missing value). */
export async function runHive(script: string): Promise<HiveRun> {
  const scriptFile = hiveScriptFile(script);
  const { command, args, cwd } = hiveCommand(['-S', '-f', scriptFile]);
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  rmSync(scriptFile, { force: true });
  if (code !== 0) {
    const failed = stderr.split('\n').find((line) => /^(FAILED|Exception|Error)/.test(line)) ?? `exit ${code}`;
    throw new StackError(`hive: ${failed} (log: ${join(cwd, 'logs', 'hive.log')})`);
  }
  return { stdout, stderr };
}

/** Splits a -S run's stdout into result sets at marker rows (`SELECT '<marker>:<label>'`), each row as its fields. */
export function resultSets(stdout: string, marker: string): Map<string, string[][]> {
  const sets = new Map<string, string[][]>();
  let current: string[][] | undefined;
  for (const line of stdout.split('\n')) {
    if (line.startsWith(`${marker}:`)) {
      current = [];
      sets.set(line.slice(marker.length + 1), current);
    } else if (current && line !== '') {
      current.push(line.split('\t'));
    }
  }
  return sets;
}
