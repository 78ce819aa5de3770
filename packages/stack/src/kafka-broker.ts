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
import { resourcesDir, type StackConfig } from './stack-config.js';
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
  };
}

/** One combined broker+controller KRaft node on loopback: what `kafka-server-start.sh` runs. */
export function serverProperties(kafka: KafkaConfig, dataDir: string): string {
  const broker = `${kafka.host}:${kafka.port}`;
  const controller = `${kafka.host}:${kafka.controllerPort}`;
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@${controller}`,
    `listeners=PLAINTEXT://${broker},CONTROLLER://${controller}`,
    `advertised.listeners=PLAINTEXT://${broker}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
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
  requireJava(kafka.java);
  await ensureKafkaClasspath(kafka.libsDir, kafka.version, kafka.mavenArgs, log);
}

export async function startKafka(
  config: StackConfig,
  log: (message: string) => void,
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

  await mkdir(paths.data, { recursive: true });
  await writeFile(paths.properties, serverProperties(kafka, paths.data));
  await copyFile(join(resourcesDir, 'log4j2.properties'), paths.log4j);
  const classpath = `${libsDir}/*`;
  const jvmBase = [`-Dlog4j2.configurationFile=${paths.log4j}`, '-cp', classpath];

  if (!existsSync(join(paths.data, 'meta.properties'))) {
    log(`formatting KRaft storage in ${paths.data}`);
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
      ],
      paths.log,
    );
    if (format !== 0) {
      throw new StackError(
        'DW_STACK_START_FAILED',
        `formatting Kafka storage failed (exit ${format}); see ${paths.log}:\n${await tail(paths.log)}`,
      );
    }
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
