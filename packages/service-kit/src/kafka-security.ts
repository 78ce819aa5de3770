import { readFileSync } from 'node:fs';

import { z } from 'zod';

import type { EnvConfig } from './env.js';
import { ConfigError, type ConfigProblem } from './errors.js';

const protocols = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;
const mechanisms = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;

const optionalText = z.string().optional();

/**
 * How a process authenticates to Kafka and encrypts the connection. Named after the Java client's
 * `security.protocol` and `sasl.mechanism`, so an operator's broker settings carry over as written.
 * Paths rather than PEM text, so no key or certificate has to sit in the environment.
 */
export const kafkaSecurityEnv = {
  KAFKA_SECURITY_PROTOCOL: z
    .string()
    .transform((value) => value.toUpperCase())
    .pipe(z.enum(protocols, { error: `must be one of ${protocols.join(', ')}` }))
    .default('PLAINTEXT'),
  KAFKA_SASL_MECHANISM: z
    .string()
    .transform((value) => value.toUpperCase())
    .pipe(z.enum(mechanisms, { error: `must be one of ${mechanisms.join(', ')}` }))
    .optional(),
  KAFKA_SASL_USERNAME: optionalText,
  /** The password itself; KAFKA_SASL_PASSWORD_FILE reads it from a file (a mounted secret). */
  KAFKA_SASL_PASSWORD: optionalText,
  KAFKA_SASL_PASSWORD_FILE: optionalText,
  /** PEM: the CA that signed the brokers' certificates. Unset: the system's CAs. */
  KAFKA_SSL_CA_FILE: optionalText,
  /** PEM: a client certificate and its unencrypted key, for brokers that require one. */
  KAFKA_SSL_CERT_FILE: optionalText,
  KAFKA_SSL_KEY_FILE: optionalText,
};

export type KafkaSecurityVars = EnvConfig<typeof kafkaSecurityEnv>;

/** The SASL mechanisms, as kafkajs names them. */
export type SaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';

/**
 * The `ssl` and `sasl` options of a kafkajs client, in kafkajs' own shape (service-kit does not
 * depend on kafkajs). Both absent: PLAINTEXT.
 */
export interface KafkaSecurity {
  /** `true`: TLS verified against the system's CAs. */
  ssl?: true | { ca?: string[]; cert?: string; key?: string };
  sasl?: SaslCredentials;
}

/** One object type per mechanism, as kafkajs declares them, so a KafkaSecurity spreads into its config. */
export type SaslCredentials = {
  [M in SaslMechanism]: { mechanism: M; username: string; password: string };
}[SaslMechanism];

export type ReadTextFile = (path: string) => string;

const readUtf8: ReadTextFile = (path) => readFileSync(path, 'utf8');

/**
 * Turns the KAFKA_SECURITY_* and KAFKA_SASL_* / KAFKA_SSL_* variables into kafkajs' `ssl` and
 * `sasl` options, reading the files they name. Every bad combination is a ConfigError naming the
 * variable — a setting the chosen protocol would ignore included, since silently ignoring a CA or
 * a password is how a connection meant to be secured goes out in plain text. No problem message
 * ever holds a password.
 *
 * @example
 * const security = kafkaSecurity(
 *   {
 *     KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
 *     KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
 *     KAFKA_SASL_USERNAME: 'driftwatch',
 *     KAFKA_SASL_PASSWORD_FILE: '/run/secrets/kafka-password',
 *     KAFKA_SSL_CA_FILE: '/etc/kafka/ca.pem',
 *   },
 *   (path) => (path.endsWith('password') ? 'hunter2\n' : '-----BEGIN CERTIFICATE-----'),
 * );
 * security.sasl; // → { mechanism: 'scram-sha-512', username: 'driftwatch', password: 'hunter2' }
 * security.ssl; // → { ca: ['-----BEGIN CERTIFICATE-----'] }
 */
export function kafkaSecurity(
  vars: Partial<KafkaSecurityVars>,
  readFile: ReadTextFile = readUtf8,
): KafkaSecurity {
  const protocol = vars.KAFKA_SECURITY_PROTOCOL ?? 'PLAINTEXT';
  const usesSasl = protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL';
  const usesTls = protocol === 'SSL' || protocol === 'SASL_SSL';
  const problems: ConfigProblem[] = [];
  const refuse = (variable: string, problem: string): void => {
    problems.push({ variable, problem });
  };
  const read = (variable: keyof KafkaSecurityVars): string | undefined => {
    const path = vars[variable];
    if (path === undefined) return undefined;
    try {
      return readFile(path);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? String(error);
      refuse(variable, `cannot read ${path} (${reason})`);
      return undefined;
    }
  };

  const saslVariables = [
    'KAFKA_SASL_MECHANISM',
    'KAFKA_SASL_USERNAME',
    'KAFKA_SASL_PASSWORD',
    'KAFKA_SASL_PASSWORD_FILE',
  ] as const;
  const tlsVariables = ['KAFKA_SSL_CA_FILE', 'KAFKA_SSL_CERT_FILE', 'KAFKA_SSL_KEY_FILE'] as const;
  if (!usesSasl) {
    for (const variable of saslVariables.filter((name) => vars[name] !== undefined))
      refuse(
        variable,
        `is set, but KAFKA_SECURITY_PROTOCOL is ${protocol}, which does not use SASL (SASL_SSL or SASL_PLAINTEXT do)`,
      );
  }
  if (!usesTls) {
    for (const variable of tlsVariables.filter((name) => vars[name] !== undefined))
      refuse(
        variable,
        `is set, but KAFKA_SECURITY_PROTOCOL is ${protocol}, which does not use TLS (SSL or SASL_SSL do)`,
      );
  }

  const security: KafkaSecurity = {};
  if (usesSasl) {
    const mechanism = vars.KAFKA_SASL_MECHANISM;
    if (mechanism === undefined)
      refuse(
        'KAFKA_SASL_MECHANISM',
        `must be set with ${protocol}: one of ${mechanisms.join(', ')}`,
      );
    const username = vars.KAFKA_SASL_USERNAME;
    if (username === undefined) refuse('KAFKA_SASL_USERNAME', `must be set with ${protocol}`);
    let password: string | undefined;
    if (vars.KAFKA_SASL_PASSWORD !== undefined && vars.KAFKA_SASL_PASSWORD_FILE !== undefined) {
      refuse('KAFKA_SASL_PASSWORD_FILE', 'is set, and so is KAFKA_SASL_PASSWORD: set one of them');
    } else if (vars.KAFKA_SASL_PASSWORD_FILE !== undefined) {
      // A secret file usually ends in a newline that is not part of the password.
      password = read('KAFKA_SASL_PASSWORD_FILE')?.replace(/\r?\n$/, '');
      if (password === '')
        refuse('KAFKA_SASL_PASSWORD_FILE', `${vars.KAFKA_SASL_PASSWORD_FILE} is empty`);
    } else if (vars.KAFKA_SASL_PASSWORD !== undefined) {
      password = vars.KAFKA_SASL_PASSWORD;
    } else {
      refuse('KAFKA_SASL_PASSWORD', `must be set with ${protocol} (or KAFKA_SASL_PASSWORD_FILE)`);
    }
    if (mechanism !== undefined && username !== undefined && password)
      security.sasl = {
        mechanism: saslMechanism(mechanism),
        username,
        password,
      };
  }
  if (usesTls) {
    if ((vars.KAFKA_SSL_CERT_FILE === undefined) !== (vars.KAFKA_SSL_KEY_FILE === undefined)) {
      const missing =
        vars.KAFKA_SSL_CERT_FILE === undefined ? 'KAFKA_SSL_CERT_FILE' : 'KAFKA_SSL_KEY_FILE';
      const other =
        missing === 'KAFKA_SSL_CERT_FILE' ? 'KAFKA_SSL_KEY_FILE' : 'KAFKA_SSL_CERT_FILE';
      refuse(missing, `must be set when ${other} is: a client certificate needs its key`);
    }
    const ca = read('KAFKA_SSL_CA_FILE');
    const cert = read('KAFKA_SSL_CERT_FILE');
    const key = read('KAFKA_SSL_KEY_FILE');
    const options = {
      ...(ca === undefined ? {} : { ca: [ca] }),
      ...(cert === undefined ? {} : { cert }),
      ...(key === undefined ? {} : { key }),
    };
    security.ssl = Object.keys(options).length === 0 ? true : options;
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return security;
}

function saslMechanism(mechanism: (typeof mechanisms)[number]): SaslMechanism {
  return mechanism.toLowerCase() as SaslMechanism;
}
