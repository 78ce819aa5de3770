import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { StackError } from './errors.js';
import { requireJava } from './java.js';
import { tail } from './log-tail.js';
import { describeListener, isListening } from './ports.js';
import { commandLine, readPid, removePid, terminate, writePid } from './process-control.js';
import { ensureSchemaRegistryBuild, schemaRegistryRunnerJar } from './schema-registry-build.js';
import type { ServerStatus, StartOutcome, StopOutcome } from './server-status.js';
import type { StackConfig } from './stack-config.js';

type SchemaRegistryConfig = StackConfig['schemaRegistry'];

/** Confluent's default; Apicurio's is NONE, under which any schema change is accepted. */
export const stackCompatibility = 'BACKWARD';

const readyTimeoutMs = 120_000;
const stopGraceMs = 30_000;
const confluentContentType = 'application/vnd.schemaregistry.v1+json';

function files(registry: SchemaRegistryConfig) {
  const data = join(registry.dir, 'data');
  return {
    log: join(registry.dir, 'registry.log'),
    pid: join(registry.dir, 'registry.pid'),
    data,
    // H2 adds `.mv.db`; schemas and their ids survive a restart, as the Kafka records naming them do.
    database: join(data, 'registry'),
  };
}

/** The JVM command line, without the `java` in front. */
export function schemaRegistryJvmArgs(registry: SchemaRegistryConfig, buildDir: string): string[] {
  return [
    `-Xmx${registry.heap}`,
    // One collector thread is plenty for a registry answering a few requests a second.
    '-XX:+UseSerialGC',
    // C1 only: half the CPU to start (7 instead of 14 CPU-seconds measured here), less memory; a
    // registry that caches schemas by id never runs hot enough to need C2.
    '-XX:TieredStopAtLevel=1',
    '-Djava.awt.headless=true',
    `-Dquarkus.http.host=${registry.host}`,
    `-Dquarkus.http.port=${registry.port}`,
    `-Dquarkus.datasource.jdbc.url=jdbc:h2:file:${files(registry).database}`,
    // One request at a time. Apicurio 2.4 on H2 gives concurrent first registrations the same
    // content id and fails all but one (HTTP 500, unique index violation), and a service registers
    // its topics' schemas side by side. (A single database connection is no cure: one request
    // takes two, nested, and the pool deadlocks.) A local registry's load never needs more.
    '-Dquarkus.thread-pool.max-threads=1',
    // Its production profile opens 20 database connections up front.
    '-Dquarkus.datasource.jdbc.initial-size=1',
    '-Dquarkus.datasource.jdbc.min-size=1',
    // Its error reporting is off without a DSN, and says so twice on every start.
    '-Dquarkus.log.category."io.sentry".level=ERROR',
    '-jar',
    join(buildDir, schemaRegistryRunnerJar),
  ];
}

async function ownPid(registry: SchemaRegistryConfig): Promise<number | undefined> {
  const pid = await readPid(files(registry).pid);
  if (pid === undefined) return undefined;
  const cmd = await commandLine(pid);
  return cmd?.includes(schemaRegistryRunnerJar) &&
    cmd.includes(files(registry).database) &&
    cmd.includes(`-Dquarkus.http.port=${registry.port} `)
    ? pid
    : undefined;
}

/** Whether Apicurio's readiness check passes: HTTP up, database open. */
export async function answersReady(
  registry: Pick<SchemaRegistryConfig, 'host' | 'port'>,
  timeoutMs = 2000,
): Promise<boolean> {
  try {
    const response = await fetch(`http://${registry.host}:${registry.port}/health/ready`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

/** The global compatibility level, as the Confluent API reports it; undefined when it cannot. */
async function globalCompatibility(registry: SchemaRegistryConfig): Promise<string | undefined> {
  try {
    const response = await fetch(`${registry.url}/config`, { signal: AbortSignal.timeout(2000) });
    if (!response.ok) return undefined;
    return ((await response.json()) as { compatibilityLevel?: string }).compatibilityLevel;
  } catch {
    return undefined;
  }
}

export async function schemaRegistryStatus(config: StackConfig): Promise<ServerStatus> {
  const { schemaRegistry: registry } = config;
  const pid = await ownPid(registry);
  const address = `${registry.host}:${registry.port}`;
  const dataDir = files(registry).data;
  if (pid === undefined) {
    return {
      name: 'schema-registry',
      state: 'stopped',
      address,
      dataDir,
      ...(registry.enabled ? {} : { detail: 'not enabled (stack:up -- --with-registry)' }),
    };
  }
  const ready = await answersReady(registry);
  const compatibility = ready ? await globalCompatibility(registry) : undefined;
  return {
    name: 'schema-registry',
    state: ready ? 'running' : 'starting',
    pid,
    address,
    dataDir,
    detail:
      `Apicurio Registry ${registry.version}` +
      (compatibility === undefined ? '' : `, ${compatibility}`) +
      `, SCHEMA_REGISTRY_URL=${registry.url}`,
  };
}

/**
 * Everything that can fail before the registry runs — its port, Java, the Maven build — so that a
 * failed `up` leaves nothing half-running.
 */
export async function prepareSchemaRegistry(
  config: StackConfig,
  log: (message: string) => void,
): Promise<void> {
  const { schemaRegistry: registry } = config;
  if ((await ownPid(registry)) !== undefined) return;
  if (await isListening(registry.host, registry.port)) {
    const holder = describeListener(registry.port);
    throw new StackError(
      'DW_STACK_PORT_TAKEN',
      `port ${registry.port} (schema registry) is already in use by ${holder ?? 'another process'}, which is not this stack's schema registry. ` +
        `Stop that process, or use another port, e.g. DRIFTWATCH_SCHEMA_REGISTRY_PORT=18081 npm run stack:up -- --with-registry.`,
    );
  }
  requireJava(registry.java, 'the schema registry');
  await ensureSchemaRegistryBuild(registry.buildDir, registry.version, registry.mavenArgs, log);
}

export async function startSchemaRegistry(
  config: StackConfig,
  log: (message: string) => void,
): Promise<StartOutcome> {
  const { schemaRegistry: registry } = config;
  const paths = files(registry);
  const running = await ownPid(registry);
  if (running !== undefined) {
    await waitUntilReady(registry, running, paths.log);
    return { outcome: 'already-running', pid: running };
  }
  await prepareSchemaRegistry(config, log);
  const buildDir = await ensureSchemaRegistryBuild(
    registry.buildDir,
    registry.version,
    registry.mavenArgs,
    log,
  );
  await mkdir(paths.data, { recursive: true });
  const logFd = openSync(paths.log, 'a');
  const child = spawn(registry.java, schemaRegistryJvmArgs(registry, buildDir), {
    cwd: registry.dir,
    detached: true,
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  const pid = child.pid;
  if (pid === undefined)
    throw new StackError('DW_STACK_START_FAILED', `could not start ${registry.java}`);
  child.unref();
  await writePid(paths.pid, pid);
  await waitUntilReady(registry, pid, paths.log);
  // Set on every start we make, not only the first: the level is what the stack promises.
  await setGlobalCompatibility(registry, stackCompatibility);
  return { outcome: 'started', pid };
}

async function waitUntilReady(
  registry: SchemaRegistryConfig,
  pid: number,
  logFile: string,
): Promise<void> {
  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if ((await commandLine(pid)) === undefined) {
      throw new StackError(
        'DW_STACK_START_FAILED',
        `the schema registry exited during start-up; last lines of ${logFile}:\n${await tail(logFile)}`,
      );
    }
    if (await answersReady(registry)) return;
    await sleep(250);
  }
  throw new StackError(
    'DW_STACK_START_FAILED',
    `the schema registry (pid ${pid}) was not ready (/health/ready) within ${readyTimeoutMs / 1000}s; see ${logFile}:\n${await tail(logFile)}`,
  );
}

async function setGlobalCompatibility(
  registry: SchemaRegistryConfig,
  compatibility: string,
): Promise<void> {
  let problem: string;
  try {
    const response = await fetch(`${registry.url}/config`, {
      method: 'PUT',
      headers: { 'content-type': confluentContentType },
      body: JSON.stringify({ compatibility }),
      signal: AbortSignal.timeout(10_000),
    });
    if (response.ok) return;
    problem = `HTTP ${response.status}: ${await response.text()}`;
  } catch (error) {
    problem = error instanceof Error ? error.message : String(error);
  }
  throw new StackError(
    'DW_STACK_START_FAILED',
    `the schema registry started but refused to set its compatibility level to ${compatibility} (${problem}); see ${files(registry).log}`,
  );
}

export async function stopSchemaRegistry(
  config: StackConfig,
  { wipe }: { wipe: boolean },
): Promise<StopOutcome> {
  const { schemaRegistry: registry } = config;
  const pid = await ownPid(registry);
  const stopped = pid === undefined ? 'not-running' : await terminate(pid, stopGraceMs);
  await removePid(files(registry).pid);
  if (wipe) await rm(registry.dir, { recursive: true, force: true });
  return { outcome: stopped, ...(pid === undefined ? {} : { pid }), wiped: wipe };
}
