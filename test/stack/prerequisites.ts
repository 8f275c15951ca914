// Checks for what the stack needs from the machine, each failing with one line that names the missing piece and the fix.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { StackError } from './errors.ts';
import { cacheDir, host, repoRoot } from './layout.ts';
import { isPortOpen } from './processes.ts';

export function requireJava17(): string {
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const result = spawnSync(java, ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new StackError(`Java not found (${java}); install a JDK 17 or newer (Debian: apt-get install openjdk-17-jdk-headless)`);
  }
  const match = /version "(\d+)/.exec(result.stderr);
  const major = match ? Number(match[1]) : 0;
  if (major < 17) throw new StackError(`Java ${major} found; Kafka 4 and HBase 2.6 need Java 17 or newer (set JAVA_HOME)`);
  return java;
}

/**
 * Resolves the jars of one of test/stack/maven/<name>/pom.xml from Maven Central into the cache, keyed by the pom's hash,
 * and returns the directory. Done once per machine; a change to the pom makes a new directory.
 */
export function resolveJars(name: string): string {
  const pom = join(repoRoot, 'test', 'stack', 'maven', name, 'pom.xml');
  const hash = createHash('sha256').update(readFileSync(pom)).digest('hex').slice(0, 12);
  const target = join(cacheDir, 'jars', `${name}-${hash}`);
  if (existsSync(join(target, '.complete'))) return target;

  if (spawnSync('mvn', ['-v'], { encoding: 'utf8' }).status !== 0) {
    throw new StackError('Maven (mvn) not found; install it (Debian: apt-get install maven) to fetch the Kafka and HBase jars');
  }
  const partial = `${target}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  process.stderr.write(`stack: resolving ${name} jars from Maven Central (once per machine)\n`);
  const result = spawnSync('mvn', ['-q', '-B', '-f', pom, 'dependency:copy-dependencies', `-DoutputDirectory=${partial}`], {
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    rmSync(partial, { recursive: true, force: true });
    const reason = (result.stdout + result.stderr).split('\n').find((line) => line.includes('ERROR')) ?? 'unknown error';
    throw new StackError(`could not download the ${name} jars from Maven Central: ${reason.trim()}`);
  }
  execFileSync('touch', [join(partial, '.complete')]);
  rmSync(target, { recursive: true, force: true });
  renameSync(partial, target);
  return target;
}

export function classpath(...dirs: string[]): string {
  return dirs.map((dir) => join(dir, '*')).join(':');
}

export function jarCount(dir: string): number {
  return readdirSync(dir).filter((file) => file.endsWith('.jar')).length;
}

/** Fails with the port's owner named, so "address in use" never surfaces from deep inside a JVM log. */
export async function requireFreePorts(component: string, wanted: Record<string, number>): Promise<void> {
  for (const [label, port] of Object.entries(wanted)) {
    if (await isPortOpen(host, port)) {
      throw new StackError(
        `${component}: port ${port} (${label}) on ${host} is in use by another process; stop it or set the TORMENTA_*_PORT variable`,
      );
    }
  }
}

/**
 * Installs a Debian package on the spot when we are root on a Debian-like machine; `apt-get update` only when the
 * package is not known yet. Returns whether `binary` exists afterwards.
 */
function installFromDebian(pkg: string, binary: string, label: string): boolean {
  if (process.getuid?.() !== 0 || spawnSync('apt-get', ['--version']).status !== 0) return false;
  process.stderr.write(`stack: installing ${label} from Debian (apt-get install ${pkg})\n`);
  const install = (): boolean =>
    spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', pkg], {
      stdio: 'ignore',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    }).status === 0;
  if (!install()) {
    if (spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore' }).status !== 0 || !install()) return false;
  }
  return existsSync(binary);
}

/** Debian's prometheus package; installed on the spot when we are root on a Debian-like machine. */
export function requirePrometheus(): string {
  const binary = process.env.TORMENTA_PROMETHEUS_BIN ?? '/usr/bin/prometheus';
  if (existsSync(binary) || installFromDebian('prometheus', binary, 'Prometheus')) return binary;
  throw new StackError(
    `Prometheus not found at ${binary}; install it (Debian: apt-get install prometheus) or set TORMENTA_PROMETHEUS_BIN`,
  );
}

/** Debian's mosquitto package (the MQTT broker); installed on the spot like Prometheus. */
export function requireMosquitto(): string {
  const binary = process.env.TORMENTA_MOSQUITTO_BIN ?? '/usr/sbin/mosquitto';
  if (existsSync(binary) || installFromDebian('mosquitto', binary, 'Mosquitto')) return binary;
  throw new StackError(
    `Mosquitto not found at ${binary}; install it (Debian: apt-get install mosquitto) or set TORMENTA_MOSQUITTO_BIN`,
  );
}
