// Entry point of the consumer pod: config from the environment, start, and a graceful stop on SIGTERM/SIGINT.
import { ConsumerError } from './errors.ts';
import { loadConfig, renamedSettings } from './config.ts';
import { ConsumerService, jsonLog } from './consumer-service.ts';

let config;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (!(error instanceof ConsumerError)) throw error;
  jsonLog('startup_failed', { code: error.code, error: error.message });
  process.exit(2);
}

for (const warning of renamedSettings(process.env)) jsonLog('setting_renamed', { warning });

const service = new ConsumerService(config, { onFatal: () => void shutdown(1) });

async function shutdown(exitCode: number): Promise<void> {
  await service.stop().catch((error: unknown) => jsonLog('stop_failed', { error: (error as Error).message }));
  process.exit(exitCode);
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void shutdown(0));

try {
  await service.start();
} catch (error) {
  const code = error instanceof ConsumerError ? error.code : undefined;
  jsonLog('startup_failed', { code, error: (error as Error).message });
  await shutdown(code === 'TORMENTA_CONSUMER_CONFIG_INVALID' ? 2 : 1);
}
