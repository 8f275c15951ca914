// The test cluster from a shell: scripts/node24.sh node test/cluster/cli.ts up [--real-node]|down|status|kubeconfig
import { adminKubeconfig } from './layout.ts';
import { down, readClusterInfo, runningCluster, status, up } from './control-plane.ts';
import { forgetJestOwnership } from './jest-users.ts';

const USAGE = 'usage: test/cluster/cli.ts up [--real-node]|down|status|kubeconfig';
const mib = (bytes: number): string => `${Math.round(bytes / 2 ** 20)} MiB`;

async function main(command: string | undefined, flags: string[]): Promise<number> {
  const unknown = flags.filter((flag) => !(command === 'up' && flag === '--real-node'));
  if (unknown.length) {
    console.error(`${USAGE} — unknown: ${unknown.join(' ')}`);
    return 2;
  }
  switch (command) {
    case 'up': {
      const result = await up((line) => console.error(`cluster: ${line}`), { realNode: flags.includes('--real-node') });
      forgetJestOwnership(); // asked for by hand: no jest run's teardown may stop it now
      const how = result.reused ? 'already running, reused' : 'started';
      console.log(`cluster ${how} in ${(result.elapsedMs / 1000).toFixed(1)}s at ${result.info.server}`);
      console.log(`kubeconfig: ${result.kubeconfig}`);
      if (result.realNode) {
        const node = result.realNode;
        console.log(`real node ${node.name} at ${node.ip}, cgroup root ${node.cgroupRoot}, cluster DNS ${node.ip}:53`);
      }
      return 0;
    }
    case 'down': {
      const stopped = await down();
      console.log(stopped.length ? `stopped ${stopped.join(', ')}` : 'nothing was running');
      return 0;
    }
    case 'status': {
      const rows = status();
      for (const row of rows) {
        console.log(`${row.name.padEnd(24)} ${row.pid === undefined ? 'stopped' : `pid ${row.pid}  rss ${mib(row.rssBytes)}`}`);
      }
      const ready = (await runningCluster()) !== undefined;
      const total = rows.reduce((sum, row) => sum + row.rssBytes, 0);
      console.log(`api server ${ready ? `ready at ${readClusterInfo()?.server}` : 'not ready'}; total rss ${mib(total)}`);
      return ready ? 0 : 1;
    }
    case 'kubeconfig':
      console.log(adminKubeconfig);
      return 0;
    default:
      console.error(USAGE);
      return 2;
  }
}

try {
  process.exitCode = await main(process.argv[2], process.argv.slice(3));
} catch (error) {
  console.error(`cluster: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
