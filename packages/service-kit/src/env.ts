import { hostname } from 'node:os';

import { z } from 'zod';

import { ConfigError } from './errors.js';
import { kafkaSecurityEnv } from './kafka-security.js';

/** Environment variable name → the schema that parses its string value. */
export type EnvShape = Record<string, z.ZodType>;
export type EnvConfig<Shape extends EnvShape> = z.output<z.ZodObject<Shape>>;

/**
 * Validates the variables named in `shape` once, at start, and returns them typed. Blank values
 * count as unset (compose files often write `FOO=`), so defaults apply to them. Every problem is
 * reported at once, each with the variable's name, so one restart fixes them all.
 */
export function parseEnv<Shape extends EnvShape>(
  shape: Shape,
  env: Readonly<Record<string, string | undefined>> = process.env,
): EnvConfig<Shape> {
  const present: Record<string, string> = {};
  for (const name of Object.keys(shape)) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') present[name] = value.trim();
  }
  const result = z.object(shape).safeParse(present);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const variable = String(issue.path[0] ?? '(environment)');
      const value = present[variable];
      const got = value === undefined ? 'unset' : `got ${JSON.stringify(withoutPassword(value))}`;
      return { variable, problem: `${issue.message} (${got})` };
    }),
  );
}

/** `rediss://user:secret@host` → `rediss://user:***@host`: a config error is printed, a password never. */
function withoutPassword(value: string): string {
  return value.replace(/(\/\/[^/:@]*:)[^/@]*@/, '$1***@');
}

const hostPort = /^[A-Za-z0-9_.-]+:(\d{1,5})$/;

/** `host:port[,host:port…]`, the form every Kafka client takes for bootstrap servers. */
export function brokerList(defaultValue: string) {
  return z
    .string()
    .default(defaultValue)
    .transform((value, context) => {
      const brokers = value.split(',').map((entry) => entry.trim());
      for (const broker of brokers) {
        const port = Number(hostPort.exec(broker)?.[1]);
        if (!(port >= 1 && port <= 65535)) {
          context.addIssue({ code: 'custom', message: `"${broker}" is not host:port` });
          return z.NEVER;
        }
      }
      return brokers;
    });
}

export function integer(defaultValue: number, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}) {
  return z.coerce
    .number({ error: 'must be a whole number' })
    .int('must be a whole number')
    .min(min, `must be ≥ ${min}`)
    .max(max, `must be ≤ ${max}`)
    .default(defaultValue);
}

export function decimal(defaultValue: number, { min = -Infinity, max = Infinity } = {}) {
  return z.coerce
    .number({ error: 'must be a number' })
    .refine(Number.isFinite, 'must be a finite number')
    .refine((value) => value >= min && value <= max, `must be in [${min}, ${max}]`)
    .default(defaultValue);
}

const durationUnitsMs: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};
const durationTerm = /(\d+(?:\.\d+)?|\.\d+)(ms|min|s|m|h|d)/g;

/** `1000` → `1s`, `604800000` → `7d`: the largest unit that divides it. */
function shortDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const size = durationUnitsMs[unit] ?? 1;
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

/**
 * A duration written the way people write one (`500ms`, `90s`, `10m`, `1h30m`; units ms, s, m or
 * min, h, d), in whole milliseconds. A bare number is refused rather than guessed at: `30` could
 * be seconds or minutes. `defaultValue` is written the same way.
 */
export function duration(
  defaultValue: string,
  { minMs = 1, maxMs = Number.MAX_SAFE_INTEGER }: { minMs?: number; maxMs?: number } = {},
) {
  return z
    .string()
    .default(defaultValue)
    .transform((value, context) => {
      const text = value.trim();
      const terms = [...text.matchAll(durationTerm)];
      if (terms.length === 0 || terms.map((term) => term[0]).join('') !== text) {
        context.addIssue({
          code: 'custom',
          message: 'must be a duration: a number and a unit, like 500ms, 90s, 10m or 1h30m',
        });
        return z.NEVER;
      }
      const ms = Math.round(
        terms.reduce(
          (sum, [, amount, unit]) => sum + Number(amount) * (durationUnitsMs[unit ?? ''] ?? NaN),
          0,
        ),
      );
      if (!(ms >= minMs && ms <= maxMs)) {
        context.addIssue({
          code: 'custom',
          message: `must be between ${shortDuration(minMs)} and ${shortDuration(maxMs)}`,
        });
        return z.NEVER;
      }
      return ms;
    });
}

export function port(defaultValue: number) {
  return integer(defaultValue, { min: 0, max: 65535 });
}

export function flag(defaultValue: boolean) {
  return z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
    .transform((value) => value === 'true' || value === '1' || value === 'yes')
    .default(defaultValue);
}

export function oneOf<const Values extends readonly [string, ...string[]]>(
  values: Values,
  defaultValue: Values[number],
) {
  return z.enum(values, { error: `must be one of ${values.join(', ')}` }).default(defaultValue);
}

export function redisUrl(defaultValue: string) {
  return z
    .string()
    .default(defaultValue)
    .refine((value) => /^rediss?:\/\/[^/]+/.test(value), 'must be a redis:// or rediss:// URL');
}

export function text(defaultValue: string) {
  return z.string().default(defaultValue);
}

/** A server's http(s) URL, or empty (default) for a feature that is off without one. */
export function optionalHttpUrl() {
  return z
    .string()
    .refine((value) => value === '' || /^https?:\/\/[^/]+/.test(value), 'must be an http(s):// URL')
    .default('');
}

/** `MLFLOW_TRACKING_URI`: where the trainer and `driftwatch models register` log versions. */
export const mlflowEnv = { MLFLOW_TRACKING_URI: optionalHttpUrl() };

/** Variables every service reads. */
export const commonEnv = {
  KAFKA_BROKERS: brokerList('127.0.0.1:9092'),
  TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/, 'may hold only letters, digits, ".", "_" and "-"')
    .default(''),
  LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
  /** Unset: JSON messages. Set: Avro in the Confluent wire format, schemas registered here. */
  SCHEMA_REGISTRY_URL: optionalHttpUrl(),
  /** Names this instance in its Kafka transactional id: stable across restarts, unique per instance. */
  INSTANCE_ID: text(hostname()),
  /** Partitions and replication for topics a service has to create. */
  KAFKA_TOPIC_PARTITIONS: integer(3, { min: 1 }),
  KAFKA_REPLICATION_FACTOR: integer(1, { min: 1 }),
  HTTP_HOST: text('0.0.0.0'),
  HTTP_PORT: port(0),
  /** How long the consumer group waits for a silent member before handing its partitions on. */
  KAFKA_SESSION_TIMEOUT: duration('10s', { minMs: 6000, maxMs: 300_000 }),
  /** How long Kafka or Redis may stay unreachable before /healthz says unhealthy. */
  HEALTH_GRACE: duration('30s', { minMs: 0 }),
  /**
   * The most SIGTERM may take, whatever is down: under Kubernetes' default 30 s grace, so the
   * service exits on its own terms (1, logged) rather than being SIGKILLed mid-flush.
   */
  SHUTDOWN_TIMEOUT: duration('25s', { minMs: 1000 }),
  ...kafkaSecurityEnv,
};

export const redisEnv = {
  /** `redis://` or `rediss://` (TLS), with `user:password@` for Redis ACL or AUTH. */
  REDIS_URL: redisUrl('redis://127.0.0.1:6379'),
  /** PEM: the CA that signed a `rediss://` server's certificate. Unset: the system's CAs. */
  REDIS_TLS_CA_FILE: z.string().optional(),
};
