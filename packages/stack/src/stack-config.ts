import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { commonEnv, parseEnv, port, redisEnv, text } from '@driftwatch/service-kit';
import { z } from 'zod';

import { StackError } from './errors.js';

export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
export const resourcesDir = fileURLToPath(new URL('../resources/', import.meta.url));

/** The variables the local stack reads. Ports come from the same variables the services read. */
export const stackEnv = {
  KAFKA_BROKERS: commonEnv.KAFKA_BROKERS,
  REDIS_URL: redisEnv.REDIS_URL,
  DRIFTWATCH_STACK_DIR: text(''),
  DRIFTWATCH_CACHE_DIR: text(''),
  DRIFTWATCH_KAFKA_VERSION: z
    .string()
    .regex(/^\d+\.\d+\.\d+$/, 'must be a Kafka release like 4.4.0')
    .default('4.4.0'),
  DRIFTWATCH_KAFKA_HEAP: z
    .string()
    .regex(/^\d+[mMgG]$/, 'must be a JVM heap size like 512m or 1g')
    .default('512m'),
  DRIFTWATCH_KAFKA_CONTROLLER_PORT: port(0),
  /** Extra Maven arguments for fetching the broker, e.g. `-s ~/.m2/mirror-settings.xml`. */
  DRIFTWATCH_MAVEN_ARGS: text(''),
  XDG_CACHE_HOME: text(''),
  JAVA_HOME: text(''),
};

export interface StackConfig {
  kafka: {
    version: string;
    host: string;
    port: number;
    controllerPort: number;
    heap: string;
    /** Holds server.properties, the pid file, the broker log and `data/` (the KRaft log dirs). */
    dir: string;
    /** Maven-resolved broker jars, shared by every checkout on the machine. */
    libsDir: string;
    java: string;
    mavenArgs: string[];
  };
  redis: { host: string; port: number; dir: string };
  stackDir: string;
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '::1']);

function loopbackAddress(variable: string, host: string): string {
  if (!loopbackHosts.has(host)) {
    throw new StackError(
      'DW_STACK_BAD_ADDRESS',
      `${variable} points at ${host}, but the local stack runs on this machine: use 127.0.0.1 (or run against your own servers without stack:up)`,
    );
  }
  return host === 'localhost' ? '127.0.0.1' : host;
}

export function readStackConfig(
  env: Record<string, string | undefined> = process.env,
): StackConfig {
  const vars = parseEnv(stackEnv, env);
  const [brokerHost = '', brokerPort = ''] = (vars.KAFKA_BROKERS[0] ?? '').split(':');
  const redisUrl = new URL(vars.REDIS_URL);
  const stackDir = absolute(vars.DRIFTWATCH_STACK_DIR || join(repoRoot, '.stack'));
  const cacheDir = absolute(
    vars.DRIFTWATCH_CACHE_DIR ||
      join(vars.XDG_CACHE_HOME || join(homedir(), '.cache'), 'driftwatch'),
  );
  const kafkaPort = Number(brokerPort);
  return {
    kafka: {
      version: vars.DRIFTWATCH_KAFKA_VERSION,
      host: loopbackAddress('KAFKA_BROKERS', brokerHost),
      port: kafkaPort,
      controllerPort: vars.DRIFTWATCH_KAFKA_CONTROLLER_PORT || kafkaPort + 1,
      heap: vars.DRIFTWATCH_KAFKA_HEAP,
      dir: join(stackDir, 'kafka'),
      libsDir: join(cacheDir, `kafka-${vars.DRIFTWATCH_KAFKA_VERSION}`, 'libs'),
      java: vars.JAVA_HOME ? join(vars.JAVA_HOME, 'bin', 'java') : 'java',
      mavenArgs: vars.DRIFTWATCH_MAVEN_ARGS.split(/\s+/).filter(Boolean),
    },
    redis: {
      host: loopbackAddress('REDIS_URL', redisUrl.hostname),
      port: Number(redisUrl.port || '6379'),
      dir: join(stackDir, 'redis'),
    },
    stackDir,
  };
}

function absolute(path: string): string {
  return isAbsolute(path) ? path : resolve(process.cwd(), path);
}
