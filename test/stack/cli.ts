// npm run stack -- up|down|status|logs [component]
import { readFileSync, existsSync } from 'node:fs';
import { StackError } from './errors.ts';

const usage = 'usage: npm run stack -- up|down|status|logs [component]';

async function main(command: string | undefined, argument: string | undefined): Promise<void> {
  // Loaded here, not at the top: a bad TORMENTA_* variable then fails inside main and prints as one line.
  const { endpoints } = await import('./layout.ts');
  const { stackDown, stackStatus, stackUp } = await import('./stack.ts');
  const log = (line: string): void => console.log(`stack: ${line}`);
  switch (command) {
    case 'up': {
      const report = await stackUp(log);
      log(
        `up in ${report.seconds.toFixed(1)}s — Kafka ${endpoints.kafkaBrokers.join(',')}, HBase REST ${endpoints.hbaseRest}, Prometheus ${endpoints.prometheus}, MQTT ${endpoints.mqtt}`,
      );
      return;
    }
    case 'down':
      await stackDown(log);
      log('down');
      return;
    case 'status':
      for (const { name, pid, log: file } of stackStatus()) {
        console.log(`${name.padEnd(12)} ${pid === undefined ? 'stopped' : `running (pid ${pid})`}  ${file}`);
      }
      return;
    case 'logs': {
      for (const { name, log: file } of stackStatus()) {
        if (argument !== undefined && argument !== name) continue;
        console.log(`==> ${file} <==`);
        console.log(existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-40).join('\n') : '(no log)');
      }
      return;
    }
    default:
      throw new StackError(usage);
  }
}

main(process.argv[2], process.argv[3]).catch((error: unknown) => {
  if (!(error instanceof StackError)) console.error(error);
  console.error(`stack: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
