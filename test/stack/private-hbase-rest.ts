// A second HBase REST server of a test's own, in front of the shared HBase, on another port: a fault test can kill and
// restart it without touching the REST server everyone else uses. Same jars and conf dir as the stack's.
import { join } from 'node:path';
import { java17Flags, HBASE } from './hbase.ts';
import { componentDir, host } from './layout.ts';
import { classpath, requireJava17, resolveJars } from './prerequisites.ts';
import { freePort, isPortOpen, startProcess, stopProcess, waitUntil } from './processes.ts';

export class PrivateHBaseRest {
  readonly port: number;
  readonly name: string;

  private constructor(port: number) {
    this.port = port;
    this.name = `hbase-rest-private-${port}`;
  }

  get url(): string {
    return `http://${host}:${this.port}`;
  }

  static async start(): Promise<PrivateHBaseRest> {
    const server = new PrivateHBaseRest(await freePort());
    await server.restart();
    return server;
  }

  /** Starts (again) on the same port and waits until a table listing answers. */
  async restart(): Promise<void> {
    const confDir = join(componentDir(HBASE), 'conf');
    startProcess({
      name: this.name,
      command: requireJava17(),
      args: [
        '-Xmx256m',
        '-XX:+UseG1GC',
        '-Djava.net.preferIPv4Stack=true',
        ...java17Flags,
        '-cp',
        `${confDir}:${classpath(resolveJars('hbase'))}`,
        'org.apache.hadoop.hbase.rest.RESTServer',
        '-p',
        String(this.port),
        'start',
      ],
    });
    await waitUntil(this.name, 'REST port open', () => isPortOpen(host, this.port), 90_000);
    await waitUntil(this.name, 'REST answers', async () => (await fetch(`${this.url}/version/cluster`)).ok, 90_000);
  }

  /** Kills it outright (SIGKILL after no grace), as a crash or a lost node would. */
  async kill(): Promise<void> {
    await stopProcess(this.name, 0);
  }
}
