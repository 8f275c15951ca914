// jest global setup for the projects that need the real stack: reuse a running stack or bring it up once per run.
import { stackUp } from './stack.ts';

export default async function globalSetup(): Promise<void> {
  const report = await stackUp((line) => process.stderr.write(`\nstack: ${line}`));
  process.stderr.write(`\nstack: ready in ${report.seconds.toFixed(1)}s\n`);
}
