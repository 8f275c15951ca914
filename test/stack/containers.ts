// The same stack from containers, for machines with a Docker engine (TORMENTA_STACK=containers). Host ports are fixed to
// the ones the process-based stack uses, so services and tests see no difference. CI here has no Docker engine: this path
// is not exercised by CI (see the README).
import { execFileSync } from 'node:child_process';
import { KafkaContainer } from '@testcontainers/kafka';
import { GenericContainer, Wait } from 'testcontainers';
import { StackError } from './errors.ts';
import { ports } from './layout.ts';
import { prometheusTargetsDir, writePrometheusConfig } from './prometheus.ts';

const LABEL = 'dev.tormenta.stack';
const images = {
  kafka: process.env.TORMENTA_KAFKA_IMAGE ?? 'confluentinc/cp-kafka:8.0.0',
  hbase: process.env.TORMENTA_HBASE_IMAGE ?? 'dajobe/hbase:latest',
  prometheus: process.env.TORMENTA_PROMETHEUS_IMAGE ?? 'prom/prometheus:v3.5.0',
  mosquitto: process.env.TORMENTA_MOSQUITTO_IMAGE ?? 'eclipse-mosquitto:2.0.22',
};

export async function containersUp(log: (line: string) => void): Promise<void> {
  const prometheusConfig = writePrometheusConfig();
  try {
    await new KafkaContainer(images.kafka)
      .withKraft()
      .withExposedPorts({ container: 9093, host: ports.kafka })
      .withLabels({ [LABEL]: 'kafka' })
      .withReuse()
      .start();
    log(`kafka: ${images.kafka} on 127.0.0.1:${ports.kafka}`);
    await new GenericContainer(images.hbase)
      .withExposedPorts({ container: 8080, host: ports.hbaseRest }, { container: 2181, host: ports.zookeeper })
      .withWaitStrategy(Wait.forHttp('/version/cluster', 8080).forStatusCode(200))
      .withStartupTimeout(180_000)
      .withLabels({ [LABEL]: 'hbase' })
      .withReuse()
      .start();
    log(`hbase + REST: ${images.hbase} on 127.0.0.1:${ports.hbaseRest}`);
    // Host networking: Prometheus must reach the services that run on the host's loopback.
    await new GenericContainer(images.prometheus)
      .withNetworkMode('host')
      .withBindMounts([
        { source: prometheusConfig, target: '/etc/prometheus/prometheus.yml', mode: 'ro' },
        // Same path inside, because the config names the targets directory by its host path.
        { source: prometheusTargetsDir(), target: prometheusTargetsDir(), mode: 'ro' },
      ])
      .withCommand(['--config.file=/etc/prometheus/prometheus.yml', `--web.listen-address=127.0.0.1:${ports.prometheus}`])
      .withLabels({ [LABEL]: 'prometheus' })
      .withReuse()
      .start();
    log(`prometheus: ${images.prometheus} on 127.0.0.1:${ports.prometheus}`);
    await new GenericContainer(images.mosquitto)
      .withExposedPorts({ container: 1883, host: ports.mqtt })
      .withCopyContentToContainer([
        {
          content: 'listener 1883 0.0.0.0\nallow_anonymous true\npersistence true\npersistence_location /mosquitto/data/\n',
          target: '/mosquitto/config/mosquitto.conf',
        },
      ])
      .withLabels({ [LABEL]: 'mosquitto' })
      .withReuse()
      .start();
    log(`mosquitto: ${images.mosquitto} on 127.0.0.1:${ports.mqtt}`);
  } catch (error) {
    throw new StackError(`containers: ${error instanceof Error ? error.message : String(error)} — is a Docker engine running?`);
  }
}

export function containersDown(): void {
  const ids = execFileSync('docker', ['ps', '-aq', '--filter', `label=${LABEL}`], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  if (ids.length > 0) execFileSync('docker', ['rm', '-f', ...ids], { stdio: 'ignore' });
}
