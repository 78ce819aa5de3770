import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { ensureDebianProgram } from './debian-package.js';
import { StackError } from './errors.js';
import { tail } from './log-tail.js';
import { describeListener, isListening } from './ports.js';
import { commandLine, readPid, removePid, terminate, writePid } from './process-control.js';
import type { ServerStatus, StartOutcome, StopOutcome } from './server-status.js';
import type { SecureStackConfig, StackConfig } from './stack-config.js';
import type { StackSecrets } from './stack-secrets.js';

type RedisConfig = StackConfig['redis'];

const readyTimeoutMs = 20_000;

function files(redis: RedisConfig) {
  return {
    conf: join(redis.dir, 'redis.conf'),
    log: join(redis.dir, 'redis.log'),
    pid: join(redis.dir, 'redis.pid'),
    data: join(redis.dir, 'data'),
  };
}

/** What a secured stack's Redis needs: its TLS port and the files and password it uses. */
export interface SecureRedis {
  config: SecureStackConfig;
  secrets: StackSecrets;
}

/**
 * A secured stack's Redis also listens with TLS (the stack's certificate; clients authenticate by
 * password, not certificate) and has an ACL user with a password. The default user keeps working
 * without one on the plain port, so everything that runs against the plain stack still does.
 */
function secureSettings(secure: SecureRedis): string[] {
  return [
    `tls-port ${secure.config.redisTlsPort}`,
    `tls-cert-file ${secure.secrets.serverCertFile}`,
    `tls-key-file ${secure.secrets.serverKeyFile}`,
    `tls-ca-cert-file ${secure.secrets.caFile}`,
    'tls-auth-clients no',
    `user ${secure.config.username} on >${secure.secrets.redisPassword} ~* &* +@all`,
  ];
}

export function redisConf(redis: RedisConfig, dataDir: string, secure?: SecureRedis): string {
  return [
    `bind ${redis.host}`,
    `port ${redis.port}`,
    ...(secure ? secureSettings(secure) : []),
    `dir ${dataDir}`,
    // Join state must survive a restart: append-only file, fsync once a second.
    'appendonly yes',
    'appendfsync everysec',
    'save ""',
    'daemonize no',
    'protected-mode yes',
    'loglevel notice',
    '',
  ].join('\n');
}

async function ownPid(redis: RedisConfig): Promise<number | undefined> {
  const pid = await readPid(files(redis).pid);
  if (pid === undefined) return undefined;
  const cmd = await commandLine(pid);
  return cmd?.includes('redis-server') && cmd.includes(`:${redis.port}`) ? pid : undefined;
}

/** Sends PING in RESP and waits for +PONG: proves a Redis, not just an open port. */
export function answersPing(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let reply = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => {
      done(false);
    });
    socket.once('error', () => {
      done(false);
    });
    socket.once('connect', () => socket.write('*1\r\n$4\r\nPING\r\n'));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

export async function redisStatus(config: StackConfig): Promise<ServerStatus> {
  const { redis } = config;
  const pid = await ownPid(redis);
  const address = `${redis.host}:${redis.port}`;
  const dataDir = files(redis).data;
  if (pid === undefined) return { name: 'redis', state: 'stopped', address, dataDir };
  const ready = await answersPing(redis.host, redis.port);
  return { name: 'redis', state: ready ? 'running' : 'starting', pid, address, dataDir };
}

/** What must hold before anything is started, so a failed `up` leaves nothing half-running. */
export async function checkRedisCanStart(config: StackConfig): Promise<void> {
  const { redis } = config;
  if ((await ownPid(redis)) !== undefined) return;
  if (await isListening(redis.host, redis.port)) {
    const holder = describeListener(redis.port);
    throw new StackError(
      'DW_STACK_PORT_TAKEN',
      `port ${redis.port} (Redis) is already in use by ${holder ?? 'another process'}, which is not this stack's Redis. ` +
        `Stop it (a system Redis: service redis-server stop), or use another port, e.g. REDIS_URL=redis://127.0.0.1:16379 npm run stack:up.`,
    );
  }
  const tlsPort = config.secure?.redisTlsPort;
  if (tlsPort !== undefined && (await isListening(redis.host, tlsPort))) {
    throw new StackError(
      'DW_STACK_PORT_TAKEN',
      `port ${tlsPort} (Redis TLS) is already in use by ${describeListener(tlsPort) ?? 'another process'}; set DRIFTWATCH_REDIS_TLS_PORT to another port.`,
    );
  }
}

export async function startRedis(
  config: StackConfig,
  log: (message: string) => void,
  secrets?: StackSecrets,
): Promise<StartOutcome> {
  const { redis } = config;
  const paths = files(redis);
  const running = await ownPid(redis);
  if (running !== undefined) {
    await waitUntilReady(redis, running, paths.log);
    return { outcome: 'already-running', pid: running };
  }
  await checkRedisCanStart(config);
  const server = await ensureDebianProgram(
    {
      command: 'redis-server',
      debianPackage: 'redis-server',
      code: 'DW_STACK_NO_REDIS',
      installHint: 'Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis',
    },
    log,
  );
  await mkdir(paths.data, { recursive: true });
  const secure = config.secure && secrets ? { config: config.secure, secrets } : undefined;
  await writeFile(paths.conf, redisConf(redis, paths.data, secure), { mode: 0o600 });
  const logFd = openSync(paths.log, 'a');
  const child = spawn(server, [paths.conf], { detached: true, stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  const pid = child.pid;
  if (pid === undefined) throw new StackError('DW_STACK_START_FAILED', `could not start ${server}`);
  child.unref();
  await writePid(paths.pid, pid);
  await waitUntilReady(redis, pid, paths.log);
  return { outcome: 'started', pid };
}

async function waitUntilReady(redis: RedisConfig, pid: number, logFile: string): Promise<void> {
  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if ((await commandLine(pid)) === undefined) {
      throw new StackError(
        'DW_STACK_START_FAILED',
        `redis-server exited during start-up; last lines of ${logFile}:\n${await tail(logFile)}`,
      );
    }
    if (await answersPing(redis.host, redis.port)) return;
    await sleep(100);
  }
  throw new StackError(
    'DW_STACK_START_FAILED',
    `redis-server (pid ${pid}) did not answer PING; see ${logFile}`,
  );
}

export async function stopRedis(
  config: StackConfig,
  { wipe }: { wipe: boolean },
): Promise<StopOutcome> {
  const { redis } = config;
  const pid = await ownPid(redis);
  const stopped = pid === undefined ? 'not-running' : await terminate(pid, 30_000);
  await removePid(files(redis).pid);
  if (wipe) await rm(redis.dir, { recursive: true, force: true });
  return { outcome: stopped, ...(pid === undefined ? {} : { pid }), wiped: wipe };
}
