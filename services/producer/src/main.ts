// Entry point: configuration, the producer, and a graceful SIGTERM (readyz false, in-flight requests finish, the writer
// flushes) bounded by the grace period.
import { createProducerApp } from './app.ts';
import { loadConfig } from './config.ts';
import { ConfigError } from './errors.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createProducerApp(config);
  await app.start();
  let stopping = false;
  const stopOn = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    app.server.log.info({ signal }, 'draining');
    const deadline = setTimeout(() => {
      app.server.log.error('grace period over before the drain finished');
      process.exit(1);
    }, config.shutdownGraceMs);
    deadline.unref();
    app.shutdown().then(
      () => process.exit(0),
      (error: unknown) => {
        app.server.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stopOn);
  process.on('SIGINT', stopOn);
}

// Exit 2 for a configuration to fix (a setting, a stream file, a schema), 1 for anything else.
main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`tormenta-producer: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`tormenta-producer: start-up failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
