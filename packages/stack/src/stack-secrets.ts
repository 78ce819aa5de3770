import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { StackError } from './errors.js';
import type { SecureStackConfig, StackConfig } from './stack-config.js';

/** Where a secured stack keeps what its servers and clients need; all PEM, all in `secure.dir`. */
export interface StackSecrets {
  /** The stack's own CA: what clients trust (KAFKA_SSL_CA_FILE, REDIS_TLS_CA_FILE). */
  caFile: string;
  serverCertFile: string;
  serverKeyFile: string;
  /** The server's key and certificate in one file: what Kafka's PEM keystore reads. */
  serverKeystoreFile: string;
  /** A client certificate the CA signed, for trying KAFKA_SSL_CERT_FILE / KAFKA_SSL_KEY_FILE. */
  clientCertFile: string;
  clientKeyFile: string;
  kafkaPasswordFile: string;
  redisPasswordFile: string;
  kafkaPassword: string;
  redisPassword: string;
  /** KEY=VALUE lines a service or the CLI needs to use the secured endpoints. */
  clientEnvFile: string;
}

const validDays = '3650';
const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function paths(dir: string): Omit<StackSecrets, 'kafkaPassword' | 'redisPassword'> {
  return {
    caFile: join(dir, 'ca.pem'),
    serverCertFile: join(dir, 'server.crt'),
    serverKeyFile: join(dir, 'server.key'),
    serverKeystoreFile: join(dir, 'server-keystore.pem'),
    clientCertFile: join(dir, 'client.crt'),
    clientKeyFile: join(dir, 'client.key'),
    kafkaPasswordFile: join(dir, 'kafka-password'),
    redisPasswordFile: join(dir, 'redis-password'),
    clientEnvFile: join(dir, 'client.env'),
  };
}

function openssl(args: string[], cwd: string): void {
  const result = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    const reason = result.error?.message ?? (result.stderr || result.stdout).trim();
    throw new StackError(
      'DW_STACK_START_FAILED',
      `making the secure stack's certificates failed (openssl ${args[0] ?? ''}): ${reason}. The secure stack needs openssl on PATH (Debian: apt-get install openssl).`,
    );
  }
}

/** A key (PKCS#8, unencrypted: the stack's servers start unattended) and a certificate the CA signs. */
async function issueCertificate(
  dir: string,
  name: string,
  subject: string,
  extensions: string[],
): Promise<void> {
  const extensionsFile = join(dir, `${name}.ext`);
  await writeFile(extensionsFile, `${extensions.join('\n')}\n`);
  openssl(
    ['req', ...ecKey, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject],
    dir,
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-set_serial',
      `0x${randomBytes(8).toString('hex')}`,
      '-days',
      validDays,
      '-extfile',
      extensionsFile,
      '-out',
      `${name}.crt`,
    ],
    dir,
  );
  await rm(join(dir, `${name}.csr`), { force: true });
  await rm(extensionsFile, { force: true });
  await chmod(join(dir, `${name}.key`), 0o600);
}

async function password(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  // base64url: nothing a URL, a redis.conf line or kafka-storage's `[name=…,password=…]` must escape.
  const value = randomBytes(18).toString('base64url');
  await writeFile(file, `${value}\n`, { mode: 0o600 });
  return value;
}

/** The variables that point a service or the CLI at the secured endpoints. */
export function clientEnv(
  config: Pick<StackConfig, 'kafka' | 'redis'>,
  secure: SecureStackConfig,
  secrets: Omit<StackSecrets, 'clientEnvFile'>,
): string {
  return [
    `KAFKA_BROKERS=${config.kafka.host}:${secure.kafkaPort}`,
    'KAFKA_SECURITY_PROTOCOL=SASL_SSL',
    'KAFKA_SASL_MECHANISM=SCRAM-SHA-512',
    `KAFKA_SASL_USERNAME=${secure.username}`,
    `KAFKA_SASL_PASSWORD_FILE=${secrets.kafkaPasswordFile}`,
    `KAFKA_SSL_CA_FILE=${secrets.caFile}`,
    `REDIS_URL=rediss://${secure.username}:${secrets.redisPassword}@${config.redis.host}:${secure.redisTlsPort}`,
    `REDIS_TLS_CA_FILE=${secrets.caFile}`,
    '',
  ].join('\n');
}

/**
 * Makes, once, what a secured stack needs in `secure.dir`: a CA, a server certificate for
 * 127.0.0.1/localhost and a client certificate it signed (openssl; EC P-256), a random password
 * each for Kafka and Redis, and client.env. Kept across restarts — the broker's SCRAM user is
 * stored with its data — and removed by `stack:down -- --wipe`. Keys and passwords are mode 0600.
 */
export async function ensureStackSecrets(
  config: Pick<StackConfig, 'kafka' | 'redis'>,
  secure: SecureStackConfig,
): Promise<StackSecrets> {
  const dir = secure.dir;
  const files = paths(dir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (!existsSync(files.caFile)) {
    openssl(
      [
        'req',
        '-x509',
        ...ecKey,
        '-keyout',
        'ca.key',
        '-out',
        'ca.pem',
        '-days',
        validDays,
        '-subj',
        '/CN=driftwatch local stack CA',
      ],
      dir,
    );
    await chmod(join(dir, 'ca.key'), 0o600);
    // Certificates of an earlier CA would no longer verify.
    await rm(files.serverCertFile, { force: true });
    await rm(files.clientCertFile, { force: true });
  }
  if (!existsSync(files.serverCertFile)) {
    await issueCertificate(dir, 'server', '/CN=localhost', [
      'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost',
      'extendedKeyUsage=serverAuth',
    ]);
    const keystore = `${await readFile(files.serverKeyFile, 'utf8')}${await readFile(files.serverCertFile, 'utf8')}`;
    await writeFile(files.serverKeystoreFile, keystore, { mode: 0o600 });
  }
  if (!existsSync(files.clientCertFile)) {
    await issueCertificate(dir, 'client', `/CN=${secure.username}`, [
      'extendedKeyUsage=clientAuth',
    ]);
  }
  const secrets = {
    ...files,
    kafkaPassword: await password(files.kafkaPasswordFile),
    redisPassword: await password(files.redisPasswordFile),
  };
  await writeFile(files.clientEnvFile, clientEnv(config, secure, secrets), { mode: 0o600 });
  await chmod(files.clientEnvFile, 0o600);
  return secrets;
}
