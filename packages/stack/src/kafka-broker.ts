import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, openSync, closeSync } from 'node:fs';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { createSilentKafkaClient } from '@driftwatch/bus';

import { StackError } from './errors.js';
import { requireJava } from './java.js';
import { ensureKafkaClasspath } from './kafka-classpath.js';
import { tail } from './log-tail.js';
import { describeListener, isListening } from './ports.js';
import { commandLine, readPid, removePid, terminate, writePid } from './process-control.js';
import { resourcesDir, type SecureStackConfig, type StackConfig } from './stack-config.js';
import type { StackSecrets } from './stack-secrets.js';
import type { ServerStatus, StartOutcome, StopOutcome } from './server-status.js';

type KafkaConfig = StackConfig['kafka'];

const readyTimeoutMs = 120_000;
const stopGraceMs = 60_000;

function files(kafka: KafkaConfig) {
  return {
    properties: join(kafka.dir, 'server.properties'),
    log4j: join(kafka.dir, 'log4j2.properties'),
    log: join(kafka.dir, 'broker.log'),
    pid: join(kafka.dir, 'broker.pid'),
    data: join(kafka.dir, 'data'),
    /** Written when the storage was formatted with the secure stack's SCRAM users. */
    scramUsers: join(kafka.dir, 'scram-users'),
  };
}

/**
 * The SASL_SSL listener of a secured stack: SCRAM users (made at format time) over TLS with the
 * stack's own certificate, PEM files read as they are. A client certificate is checked when one
 * is offered, not required, so SASL alone and SASL plus a certificate can both be tried.
 */
function secureListener(kafka: KafkaConfig, secure: SecureKafka) {
  const address = `SASL_SSL://${kafka.host}:${secure.config.kafkaPort}`;
  const scram = 'org.apache.kafka.common.security.scram.ScramLoginModule required;';
  return {
    listener: `,${address}`,
    protocolMap: ',SASL_SSL:SASL_SSL',
    settings: [
      'sasl.enabled.mechanisms=SCRAM-SHA-256,SCRAM-SHA-512',
      `listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=${scram}`,
      `listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=${scram}`,
      'ssl.keystore.type=PEM',
      `ssl.keystore.location=${secure.secrets.serverKeystoreFile}`,
      'ssl.truststore.type=PEM',
      `ssl.truststore.location=${secure.secrets.caFile}`,
      'listener.name.sasl_ssl.ssl.client.auth=requested',
    ],
  };
}

/** What a secured stack's broker needs: where its listener goes and the files it reads. */
export interface SecureKafka {
  config: SecureStackConfig;
  secrets: StackSecrets;
}

/** One combined broker+controller KRaft node on loopback: what `kafka-server-start.sh` runs. */
export function serverProperties(
  kafka: KafkaConfig,
  dataDir: string,
  secure?: SecureKafka,
): string {
  const broker = `${kafka.host}:${kafka.port}`;
  const controller = `${kafka.host}:${kafka.controllerPort}`;
  const secured = secure
    ? secureListener(kafka, secure)
    : { listener: '', protocolMap: '', settings: [] };
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@${controller}`,
    `listeners=PLAINTEXT://${broker},CONTROLLER://${controller}${secured.listener}`,
    `advertised.listeners=PLAINTEXT://${broker}${secured.listener}`,
    'controller.listener.names=CONTROLLER',
    // The plain listener stays: the stack's own readiness checks and local tools use it.
    'inter.broker.listener.name=PLAINTEXT',
    `listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT${secured.protocolMap}`,
    ...secured.settings,
    `log.dirs=${dataDir}`,
    // Services create their topics explicitly; a typo must not silently create a new one.
    'auto.create.topics.enable=false',
    'num.partitions=3',
    // A single node can hold one replica of the internal topics, no more.
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=10',
    'transaction.state.log.replication.factor=1',
    // Created on the first transaction; 50 partitions (the default) take seconds on one node.
    'transaction.state.log.num.partitions=5',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    // No reason to wait for more members on a laptop; rebalances settle at once.
    'group.initial.rebalance.delay.ms=0',
    'log.retention.hours=168',
    '',
  ].join('\n');
}

/** Kafka's Uuid text form: 16 random bytes, URL-safe base64, no padding, never starting with "-". */
export function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

async function ownPid(kafka: KafkaConfig): Promise<number | undefined> {
  const pid = await readPid(files(kafka).pid);
  if (pid === undefined) return undefined;
  const cmd = await commandLine(pid);
  return cmd?.includes('kafka.Kafka') && cmd.includes(files(kafka).properties) ? pid : undefined;
}

export async function answersMetadata(kafka: KafkaConfig, timeoutMs = 3000): Promise<boolean> {
  const client = createSilentKafkaClient({
    brokers: [`${kafka.host}:${kafka.port}`],
    clientId: 'driftwatch-stack',
    connectionTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
  });
  const admin = client.admin();
  try {
    await admin.connect();
    await admin.listTopics();
    return true;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export async function kafkaStatus(config: StackConfig): Promise<ServerStatus> {
  const { kafka } = config;
  const pid = await ownPid(kafka);
  const address = `${kafka.host}:${kafka.port}`;
  if (pid === undefined)
    return { name: 'kafka', state: 'stopped', address, dataDir: files(kafka).data };
  const ready = await answersMetadata(kafka);
  return {
    name: 'kafka',
    state: ready ? 'running' : 'starting',
    pid,
    address,
    dataDir: files(kafka).data,
    detail: `Apache Kafka ${kafka.version}`,
  };
}

async function requirePortFree(host: string, port: number, what: string): Promise<void> {
  if (!(await isListening(host, port))) return;
  const holder = describeListener(port);
  throw new StackError(
    'DW_STACK_PORT_TAKEN',
    `port ${port} (${what}) is already in use by ${holder ?? 'another process'}, which is not this stack's broker. ` +
      `Stop that process, or run the stack on other ports, e.g. KAFKA_BROKERS=127.0.0.1:19092 npm run stack:up ` +
      `(the controller takes the next port; set DRIFTWATCH_KAFKA_CONTROLLER_PORT to choose it).`,
  );
}

/**
 * Everything that can fail before the broker runs — ports, Java, the Maven download — so that a
 * failed `up` leaves nothing half-running.
 */
export async function prepareKafka(
  config: StackConfig,
  log: (message: string) => void,
): Promise<void> {
  const { kafka } = config;
  if ((await ownPid(kafka)) !== undefined) return;
  await requirePortFree(kafka.host, kafka.port, 'Kafka broker');
  await requirePortFree(kafka.host, kafka.controllerPort, 'Kafka controller');
  if (config.secure)
    await requirePortFree(kafka.host, config.secure.kafkaPort, 'Kafka SASL_SSL listener');
  requireJava(kafka.java);
  await ensureKafkaClasspath(kafka.libsDir, kafka.version, kafka.mavenArgs, log);
}

export async function startKafka(
  config: StackConfig,
  log: (message: string) => void,
  secrets?: StackSecrets,
): Promise<StartOutcome> {
  const { kafka } = config;
  const paths = files(kafka);
  const running = await ownPid(kafka);
  if (running !== undefined) {
    await waitUntilReady(kafka, running, paths.log);
    return { outcome: 'already-running', pid: running };
  }
  await prepareKafka(config, log);
  const libsDir = await ensureKafkaClasspath(kafka.libsDir, kafka.version, kafka.mavenArgs, log);

  const secure = config.secure && secrets ? { config: config.secure, secrets } : undefined;
  const formatted = existsSync(join(paths.data, 'meta.properties'));
  if (secure && formatted && !existsSync(paths.scramUsers)) {
    throw new StackError(
      'DW_STACK_START_FAILED',
      `the broker's data in ${paths.data} was made without the secure stack's SCRAM user, which can only be added when it is made: wipe it first (npm run stack:down -- --wipe), then start with --secure again`,
    );
  }
  await mkdir(paths.data, { recursive: true });
  await writeFile(paths.properties, serverProperties(kafka, paths.data, secure), { mode: 0o600 });
  await copyFile(join(resourcesDir, 'log4j2.properties'), paths.log4j);
  const classpath = `${libsDir}/*`;
  const jvmBase = [`-Dlog4j2.configurationFile=${paths.log4j}`, '-cp', classpath];

  if (!formatted) {
    log(`formatting KRaft storage in ${paths.data}`);
    const scramUsers = secure
      ? ['SCRAM-SHA-256', 'SCRAM-SHA-512'].flatMap((mechanism) => [
          '--add-scram',
          `${mechanism}=[name=${secure.config.username},password=${secure.secrets.kafkaPassword}]`,
        ])
      : [];
    const format = await runToLog(
      kafka.java,
      [
        ...jvmBase,
        'kafka.tools.StorageTool',
        'format',
        '-t',
        newClusterId(),
        '-c',
        paths.properties,
        ...scramUsers,
      ],
      paths.log,
    );
    if (format !== 0) {
      throw new StackError(
        'DW_STACK_START_FAILED',
        `formatting Kafka storage failed (exit ${format}); see ${paths.log}:\n${await tail(paths.log)}`,
      );
    }
    if (secure) await writeFile(paths.scramUsers, `${secure.config.username}\n`);
  }

  const logFd = openSync(paths.log, 'a');
  const child = spawn(
    kafka.java,
    [
      `-Xms${kafka.heap}`,
      `-Xmx${kafka.heap}`,
      '-XX:+UseG1GC',
      '-XX:MaxGCPauseMillis=20',
      '-Djava.awt.headless=true',
      // Keep logging until the JVM is gone, so the log shows the broker's shutdown completing.
      '-Dlog4j2.shutdownHookEnabled=false',
      ...jvmBase,
      'kafka.Kafka',
      paths.properties,
    ],
    { detached: true, stdio: ['ignore', logFd, logFd] },
  );
  closeSync(logFd);
  const pid = child.pid;
  if (pid === undefined)
    throw new StackError('DW_STACK_START_FAILED', `could not start ${kafka.java}`);
  child.unref();
  await writePid(paths.pid, pid);
  await waitUntilReady(kafka, pid, paths.log);
  return { outcome: 'started', pid };
}

async function waitUntilReady(kafka: KafkaConfig, pid: number, logFile: string): Promise<void> {
  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if ((await commandLine(pid)) === undefined) {
      throw new StackError(
        'DW_STACK_START_FAILED',
        `the Kafka broker exited during start-up; last lines of ${logFile}:\n${await tail(logFile)}`,
      );
    }
    if (await answersMetadata(kafka)) return;
    await sleep(250);
  }
  throw new StackError(
    'DW_STACK_START_FAILED',
    `the Kafka broker (pid ${pid}) did not answer a metadata request within ${readyTimeoutMs / 1000}s; see ${logFile}:\n${await tail(logFile)}`,
  );
}

export async function stopKafka(
  config: StackConfig,
  { wipe }: { wipe: boolean },
): Promise<StopOutcome> {
  const { kafka } = config;
  const pid = await ownPid(kafka);
  const stopped = pid === undefined ? 'not-running' : await terminate(pid, stopGraceMs);
  await removePid(files(kafka).pid);
  if (wipe) await rm(kafka.dir, { recursive: true, force: true });
  return { outcome: stopped, ...(pid === undefined ? {} : { pid }), wiped: wipe };
}

function runToLog(command: string, args: string[], logFile: string): Promise<number> {
  const logFd = openSync(logFile, 'a');
  return new Promise<number>((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', logFd, logFd] });
    child.once('error', reject);
    child.once('close', (code) => {
      resolve(code ?? 1);
    });
  }).finally(() => {
    closeSync(logFd);
  });
}
