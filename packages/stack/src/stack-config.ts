import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { commonEnv, flag, integer, parseEnv, port, redisEnv, text } from '@driftwatch/service-kit';
import { z } from 'zod';

import { StackError } from './errors.js';

export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
export const resourcesDir = fileURLToPath(new URL('../resources/', import.meta.url));

/**
 * The only Apicurio Registry release resources/schema-registry.pom.xml is known to build from
 * Maven Central alone; not a variable, since another release needs other workarounds there.
 */
export const apicurioVersion = '2.4.2.Final';

/** Where the Confluent-compatible API lives on Apicurio Registry; what SCHEMA_REGISTRY_URL names. */
export const confluentApiPath = '/apis/ccompat/v7';

const heapSize = (defaultValue: string) =>
  z
    .string()
    .regex(/^\d+[mMgG]$/, 'must be a JVM heap size like 512m or 1g')
    .default(defaultValue);

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
  DRIFTWATCH_KAFKA_HEAP: heapSize('512m'),
  DRIFTWATCH_KAFKA_CONTROLLER_PORT: port(0),
  /** Also run the schema registry (as `stack:up -- --with-registry` does). */
  DRIFTWATCH_SCHEMA_REGISTRY: flag(false),
  /** Confluent's default port, so tools that assume it find the registry. */
  DRIFTWATCH_SCHEMA_REGISTRY_PORT: integer(8081, { min: 1, max: 65535 }),
  DRIFTWATCH_SCHEMA_REGISTRY_HEAP: heapSize('128m'),
  /**
   * Also serve Kafka over SASL_SSL and Redis over TLS with a password (as `stack:up -- --secure`
   * does), beside the plain listeners, with a CA, certificates and passwords made in
   * `<stack dir>/secure/`.
   */
  DRIFTWATCH_STACK_SECURE: flag(false),
  /** The broker's SASL_SSL listener; 0: the broker's port + 2 (the controller has + 1). */
  DRIFTWATCH_KAFKA_SECURE_PORT: port(0),
  /** Redis' TLS port; 0: Redis' port + 1. */
  DRIFTWATCH_REDIS_TLS_PORT: port(0),
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
  /** Absent unless the stack is secured (`--secure`, DRIFTWATCH_STACK_SECURE). */
  secure?: SecureStackConfig;
  schemaRegistry: {
    /** Whether `up` starts it and `status` counts it; `down` stops it either way. */
    enabled: boolean;
    /** Apicurio Registry's release. */
    version: string;
    host: string;
    port: number;
    /** Its Confluent-compatible API: what SCHEMA_REGISTRY_URL should be for services and the CLI. */
    url: string;
    heap: string;
    /** Holds the pid file, the log and `data/` (the H2 database its schemas are kept in). */
    dir: string;
    /** The Quarkus build of Apicurio Registry, shared by every checkout on the machine. */
    buildDir: string;
    java: string;
    mavenArgs: string[];
  };
  stackDir: string;
}

export interface SecureStackConfig {
  /** The CA, the certificates, their keys, the passwords and client.env (a client's variables). */
  dir: string;
  /** Kafka's SASL_SSL listener. */
  kafkaPort: number;
  redisTlsPort: number;
  /** The SCRAM user on the broker and the ACL user on Redis. */
  username: string;
}

export interface StackConfigOverrides {
  /** `--secure`: secure the stack whatever DRIFTWATCH_STACK_SECURE says. */
  secure?: boolean;
  /** `--with-registry`: run the schema registry whatever DRIFTWATCH_SCHEMA_REGISTRY says. */
  withRegistry?: boolean;
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
  overrides: StackConfigOverrides = {},
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
  const java = vars.JAVA_HOME ? join(vars.JAVA_HOME, 'bin', 'java') : 'java';
  const mavenArgs = vars.DRIFTWATCH_MAVEN_ARGS.split(/\s+/).filter(Boolean);
  const registryPort = vars.DRIFTWATCH_SCHEMA_REGISTRY_PORT;
  const redisPort = Number(redisUrl.port || '6379');
  const secure = overrides.secure === true || vars.DRIFTWATCH_STACK_SECURE;
  return {
    kafka: {
      version: vars.DRIFTWATCH_KAFKA_VERSION,
      host: loopbackAddress('KAFKA_BROKERS', brokerHost),
      port: kafkaPort,
      controllerPort: vars.DRIFTWATCH_KAFKA_CONTROLLER_PORT || kafkaPort + 1,
      heap: vars.DRIFTWATCH_KAFKA_HEAP,
      dir: join(stackDir, 'kafka'),
      libsDir: join(cacheDir, `kafka-${vars.DRIFTWATCH_KAFKA_VERSION}`, 'libs'),
      java,
      mavenArgs,
    },
    redis: {
      host: loopbackAddress('REDIS_URL', redisUrl.hostname),
      port: redisPort,
      dir: join(stackDir, 'redis'),
    },
    ...(secure
      ? {
          secure: {
            dir: join(stackDir, 'secure'),
            kafkaPort: vars.DRIFTWATCH_KAFKA_SECURE_PORT || kafkaPort + 2,
            redisTlsPort: vars.DRIFTWATCH_REDIS_TLS_PORT || redisPort + 1,
            username: 'driftwatch',
          },
        }
      : {}),
    schemaRegistry: {
      enabled: overrides.withRegistry === true || vars.DRIFTWATCH_SCHEMA_REGISTRY,
      version: apicurioVersion,
      host: '127.0.0.1',
      port: registryPort,
      url: `http://127.0.0.1:${registryPort}${confluentApiPath}`,
      heap: vars.DRIFTWATCH_SCHEMA_REGISTRY_HEAP,
      dir: join(stackDir, 'schema-registry'),
      buildDir: join(cacheDir, `apicurio-registry-${apicurioVersion}`),
      java,
      mavenArgs,
    },
    stackDir,
  };
}

function absolute(path: string): string {
  return isAbsolute(path) ? path : resolve(process.cwd(), path);
}
