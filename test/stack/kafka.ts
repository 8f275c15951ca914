// One Apache Kafka 4 node in KRaft mode (broker and controller in one JVM), from Maven Central jars.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StackError } from './errors.ts';
import { kafkajs } from '@tormenta/kafka';
import { componentDir, endpoints, host, ports } from './layout.ts';
import { classpath, requireJava17, resolveJars } from './prerequisites.ts';
import { isPortOpen, runningPid, startProcess, waitUntil } from './processes.ts';

export const KAFKA = 'kafka';
const HEALTH_TOPIC = '_tormenta_health';

export interface KafkaNodeLayout {
  /** Directory for server.properties and the log4j2 config. */
  dir: string;
  dataDir: string;
  port: number;
  controllerPort: number;
  /** A second listener, advertised as itself: pods on the real node reach the broker at the node's bridge address. */
  podListener?: { host: string; port: number };
}

function serverProperties(node: KafkaNodeLayout): string {
  const pods = node.podListener ? `,PODS://${node.podListener.host}:${node.podListener.port}` : '';
  return `# written by tormenta's stack; edits are overwritten on the next start
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@${host}:${node.controllerPort}
listeners=PLAINTEXT://${host}:${node.port},CONTROLLER://${host}:${node.controllerPort}${pods}
advertised.listeners=PLAINTEXT://${host}:${node.port}${pods}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,PODS:PLAINTEXT
log.dirs=${node.dataDir}
num.partitions=3
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.hours=1
`;
}

const log4j2 = `status = warn
appender.out.type = Console
appender.out.name = out
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.out.ref = out
logger.kafka.name = kafka
logger.kafka.level = INFO
logger.state.name = state.change.logger
logger.state.level = WARN
logger.raft.name = org.apache.kafka.raft
logger.raft.level = WARN
`;

export interface KafkaLaunch {
  java: string;
  /** The JVM arguments before the main class: heap, GC, logging config, classpath. */
  jvm: string[];
  properties: string;
}

/**
 * Writes server.properties and the log4j2 config for one KRaft node and formats its storage on first use; the stack's
 * Kafka and a test's private one differ only in ports, directories and heap.
 */
export function prepareKafkaNode(node: KafkaNodeLayout, heap = { min: '256m', max: '1g' }): KafkaLaunch {
  const java = requireJava17();
  const jars = resolveJars('kafka');
  mkdirSync(node.dir, { recursive: true });
  const properties = join(node.dir, 'server.properties');
  const log4jFile = join(node.dir, 'log4j2.properties');
  writeFileSync(properties, serverProperties(node));
  writeFileSync(log4jFile, log4j2);
  const jvm = [
    `-Xms${heap.min}`,
    `-Xmx${heap.max}`,
    '-XX:+UseG1GC',
    `-Dlog4j2.configurationFile=${log4jFile}`,
    '-cp',
    classpath(jars),
  ];
  if (!existsSync(join(node.dataDir, 'meta.properties'))) {
    const format = spawnSync(
      java,
      [...jvm, 'kafka.tools.StorageTool', 'format', '--cluster-id', clusterId(), '--config', properties, '--ignore-formatted'],
      { encoding: 'utf8' },
    );
    if (format.status !== 0) {
      throw new StackError(
        `kafka: formatting the KRaft storage failed: ${(format.stderr || format.stdout).trim().split('\n')[0]}`,
      );
    }
  }
  return { java, jvm, properties };
}

export async function startKafka(): Promise<boolean> {
  if (runningPid(KAFKA) !== undefined) return false;
  const dir = componentDir(KAFKA);
  const { java, jvm, properties } = prepareKafkaNode({
    dir,
    dataDir: join(dir, 'data'),
    port: ports.kafka,
    controllerPort: ports.kafkaController,
  });
  startProcess({ name: KAFKA, command: java, args: [...jvm, 'kafka.Kafka', properties] });
  await waitUntil(KAFKA, 'broker port open', () => isPortOpen(host, ports.kafka), 90_000);
  await waitUntil(KAFKA, 'a topic created and listed', () => kafkaHealthy(), 90_000);
  return true;
}

/**
 * Kafka cluster ids are 16 random bytes in URL-safe base64 without padding. One in 64 of those starts with '-', which the
 * storage tool's argument parser takes for an option; Kafka's own Uuid.randomUuid draws again in that case, and so do we.
 */
export function clusterId(): string {
  for (;;) {
    const id = Buffer.from(randomUUID().replaceAll('-', ''), 'hex').toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

export async function kafkaHealthy(brokers: string[] = endpoints.kafkaBrokers): Promise<boolean> {
  const admin = new kafkajs.Kafka({
    clientId: 'tormenta-stack',
    brokers,
    logLevel: kafkajs.logLevel.NOTHING,
    retry: { retries: 1 },
  }).admin();
  try {
    await admin.connect();
    const topics = await admin.listTopics();
    if (!topics.includes(HEALTH_TOPIC)) {
      await admin.createTopics({ topics: [{ topic: HEALTH_TOPIC, numPartitions: 1 }], waitForLeaders: true });
    }
    return (await admin.listTopics()).includes(HEALTH_TOPIC);
  } finally {
    await admin.disconnect();
  }
}
