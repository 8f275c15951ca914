// The generated Hive DDL, read by Hive's own parser (HiveDdlTable.java over hive-exec's ParseDriver, jars from
// test/stack/maven/hive-parser): a statement Hive would refuse fails here with Hive's message, and what Hive understood
// (columns, types, mapping, HBase table) is what the SQL engine's view is built from.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../stack/layout.ts';
import { classpath, requireJava17, resolveJars } from '../stack/prerequisites.ts';
import type { HiveTable } from './drill-view.ts';

const PARSER = join(import.meta.dirname, 'HiveDdlTable.java');

/** Parses one CREATE TABLE statement with Hive's parser. */
export async function parseHiveDdl(ddl: string): Promise<HiveTable> {
  const java = requireJava17();
  // HiveConf interns strings through java.net.URI's private field.
  const args = ['--add-opens', 'java.base/java.net=ALL-UNNAMED', '-cp', classpath(resolveJars('hive-parser')), PARSER];
  const child = spawn(java, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(ddl);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) {
    const reason = stderr.split('\n').find((line) => line.trim() !== '' && !line.startsWith('SLF4J')) ?? `exit ${code}`;
    throw new Error(`Hive DDL: ${reason}`);
  }
  return JSON.parse(stdout) as HiveTable;
}

/** `npm run hive-ddl [-- …args]`'s output: the DDL the consumer's column mapping generates. */
export function generatedHiveDdl(args: string[] = []): string {
  const cli = join(repoRoot, 'services', 'consumer', 'src', 'hive-ddl-cli.ts');
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: repoRoot });
  if (result.status !== 0) throw new Error(`npm run hive-ddl failed (exit ${result.status}): ${result.stderr.trim()}`);
  return result.stdout;
}
