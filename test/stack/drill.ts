// Apache Drill, the SQL engine over the stack's HBase: one Drillbit from Maven Central jars (test/stack/maven/drill),
// coordinated through the ZooKeeper HBase runs, with its HBase storage plugin pointed at the stack and a writable
// workspace `tormenta` for the views that give HBase tables their typed columns. BI tools reach it over JDBC
// (endpoints.drillJdbc, Drill's standalone driver from test/stack/maven/drill-client) or ODBC. Started on demand (npm run
// sql, the SQL integration test), not by `npm run stack -- up`; `npm run stack -- down` stops it.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StackError } from './errors.ts';
import { HBASE } from './hbase.ts';
import { componentDir, endpoints, host, ports } from './layout.ts';
import { classpath, requireFreePorts, requireJava17, resolveJars } from './prerequisites.ts';
import { isPortOpen, runningPid, startProcess, waitUntil } from './processes.ts';

export const DRILL = 'drill';
/** The writable workspace (a directory under the state dir) where views live: `SELECT … FROM tormenta.<view>`. */
export const VIEW_SCHEMA = 'tormenta';
/** The HBase storage plugin's name: `hbase.<HBase table>`. */
export const HBASE_SCHEMA = 'hbase';

/** From Drill's drill-config.sh for JDK 9+, plus the netty reflection HBase's client needs on 17. */
const javaFlags = [
  '-Dorg.apache.hbase.thirdparty.io.netty.tryReflectionSetAccessible=true',
  ...['java.base/java.lang', 'java.base/sun.nio.ch', 'java.base/java.net', 'java.base/java.nio', 'java.base/java.util']
    .concat(['java.security.jgss/sun.security.krb5'])
    .flatMap((pkg) => ['--add-opens', `${pkg}=ALL-UNNAMED`]),
];

function drillOverride(dir: string): string {
  return `# written by tormenta's stack; edits are overwritten on the next start
drill.exec: {
  cluster-id: "tormenta-drill",
  zk.connect: "${host}:${ports.zookeeper}",
  zk.root: "tormenta-drill",
  rpc.user.server.port: ${ports.drillUser},
  rpc.bit.server.port: ${ports.drillControl},
  rpc.user.server.address: "${host}",
  http.enabled: true,
  http.port: ${ports.drillHttp},
  sys.store.provider.local.path: "${join(dir, 'store')}",
  tmp.directories: ["${join(dir, 'tmp')}"],
  # Hive reads an empty string stored for a number as NULL; Drill fails the cast unless told the same.
  options.drill.exec.functions.cast_empty_string_to_null: true
}
`;
}

/** Applied at every start (Drill's storage-plugins-override.conf): the plugins exist and point here, whatever ZK held. */
function storagePlugins(dir: string): string {
  return `# written by tormenta's stack; edits are overwritten on the next start
"storage": {
  ${HBASE_SCHEMA}: {
    type: "hbase",
    config: {
      "hbase.zookeeper.quorum": "${host}",
      "hbase.zookeeper.property.clientPort": "${ports.zookeeper}"
    },
    enabled: true
  },
  ${VIEW_SCHEMA}: {
    type: "file",
    connection: "file:///",
    workspaces: {
      default: { location: "${join(dir, 'views')}", writable: true }
    },
    formats: {},
    enabled: true
  }
}
`;
}

const logback = `<configuration>
  <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%d{ISO8601} %level [%thread] %logger{24}: %msg%n</pattern></encoder>
  </appender>
  <logger name="org.apache.drill" level="INFO"/>
  <root level="WARN"><appender-ref ref="out"/></root>
</configuration>
`;

export async function startDrill(): Promise<boolean> {
  if (runningPid(DRILL) !== undefined) return false;
  if (runningPid(HBASE) === undefined) {
    throw new StackError(`${DRILL}: needs the stack's HBase (and its ZooKeeper) running; run 'npm run stack -- up' first`);
  }
  await requireFreePorts(DRILL, {
    user: ports.drillUser,
    control: ports.drillControl,
    data: ports.drillData,
    http: ports.drillHttp,
  });
  const java = requireJava17();
  const jars = resolveJars('drill');
  const dir = componentDir(DRILL);
  const confDir = join(dir, 'conf');
  for (const sub of ['conf', 'store', 'tmp', 'views']) mkdirSync(join(dir, sub), { recursive: true });
  writeFileSync(join(confDir, 'drill-override.conf'), drillOverride(dir));
  writeFileSync(join(confDir, 'storage-plugins-override.conf'), storagePlugins(dir));
  writeFileSync(join(confDir, 'logback.xml'), logback);
  startProcess({
    name: DRILL,
    command: java,
    args: [
      '-Xms256m',
      '-Xmx1g',
      '-XX:MaxDirectMemorySize=1g',
      '-XX:+UseG1GC',
      '-Djava.net.preferIPv4Stack=true',
      ...javaFlags,
      '-cp',
      `${confDir}:${classpath(jars)}`,
      'org.apache.drill.exec.server.Drillbit',
    ],
  });
  await waitUntil(DRILL, 'web port open', () => isPortOpen(host, ports.drillHttp), 180_000);
  await waitUntil(DRILL, 'a query answered and the HBase plugin enabled', drillHealthy, 120_000);
  return true;
}

/** Starts Drill unless it runs; a running one must answer, or it is reported rather than silently reused. */
export async function ensureDrill(): Promise<void> {
  if (await startDrill()) return;
  if (!(await drillHealthy().catch(() => false))) {
    throw new StackError(`${DRILL} is running but does not answer queries; run 'npm run stack -- down' and retry`);
  }
}

/** Drill's REST API answers a query that needs the HBase plugin enabled. */
export async function drillHealthy(): Promise<boolean> {
  const response = await fetch(`${endpoints.drillHttp}/query.json`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      queryType: 'SQL',
      query: `SELECT COUNT(*) AS n FROM INFORMATION_SCHEMA.SCHEMATA WHERE SCHEMA_NAME IN ('${HBASE_SCHEMA}', '${VIEW_SCHEMA}.default')`,
    }),
  });
  if (!response.ok) return false;
  const body = (await response.json()) as { queryState?: string; rows?: { n: string | number }[] };
  return body.queryState === 'COMPLETED' && Number(body.rows?.[0]?.n) === 2;
}

export interface SqlResult {
  rows: Record<string, unknown>[];
}

/** sqlline with Drill's standalone JDBC driver: the path a BI tool takes. Extra args go to sqlline as they are. */
export function sqllineCommand(extra: string[]): { command: string; args: string[] } {
  const jars = resolveJars('drill-client');
  return {
    command: requireJava17(),
    args: [
      '-cp',
      classpath(jars),
      'sqlline.SqlLine',
      '-u',
      `${endpoints.drillJdbc};schema=${VIEW_SCHEMA}`,
      '-n',
      'tormenta',
      '-p',
      '',
      ...extra,
    ],
  };
}

/** Runs statements over JDBC and returns the last one's rows, as sqlline's JSON output gives them. */
export async function querySql(sql: string): Promise<SqlResult> {
  const { command, args } = sqllineCommand(['--outputformat=json', '--silent=true', '--showWarnings=false', '-e', sql]);
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  // sqlline prints driver errors ("Error: …") but still exits 0; a statement that failed leaves no result set.
  const error = /^Error: .*$/m.exec(stderr + stdout);
  if (code !== 0 || error) throw new StackError(`SQL over JDBC failed: ${error?.[0] ?? `sqlline exited ${code}`}\n${sql}`);
  const start = stdout.lastIndexOf('{"resultset":');
  if (start < 0) return { rows: [] };
  const parsed = JSON.parse(stdout.slice(start)) as { resultset: Record<string, unknown>[] };
  return { rows: parsed.resultset };
}
