/**
 * `npm run stack:up [-- --with-registry] | stack:down [-- --wipe] | stack:status [-- --json]`.
 * Exit codes: 0 ok; 1 an error (message on stderr); 3 from `status` when something is not running.
 */
import { relative } from 'node:path';

import { ConfigError, textTable } from '@driftwatch/service-kit';
import { Command } from 'commander';

import { StackError } from './errors.js';
import { stackDown, stackStatus, stackUp } from './stack.js';
import { readStackConfig, repoRoot } from './stack-config.js';

const say = (message: string): void => {
  console.log(`stack: ${message}`);
};
const shortPath = (path: string): string =>
  path.startsWith(repoRoot) ? relative(process.cwd(), path) || '.' : path;

const program = new Command('stack')
  .description(
    'the local Kafka (KRaft) + Redis stack driftwatch runs against, and optionally a schema registry',
  )
  .showHelpAfterError();

const withRegistry = [
  '--with-registry',
  'also the schema registry (Apicurio, Confluent API), as DRIFTWATCH_SCHEMA_REGISTRY=1 does',
  false,
] as const;

program
  .command('up')
  .description('provision and start Kafka and Redis; a no-op for what already runs')
  .option(...withRegistry)
  .option(
    '--secure',
    'also serve Kafka over SASL_SSL (SCRAM) and Redis over TLS with a password, as DRIFTWATCH_STACK_SECURE=1 does',
    false,
  )
  .action(async (options: { withRegistry: boolean; secure: boolean }) => {
    const config = readStackConfig(process.env, options);
    const report = await stackUp(config, say);
    say(
      `redis ${report.redis.outcome.replace('-', ' ')} on ${config.redis.host}:${config.redis.port} (pid ${report.redis.pid})`,
    );
    say(
      `kafka ${report.kafka.outcome.replace('-', ' ')} on ${config.kafka.host}:${config.kafka.port} (pid ${report.kafka.pid}, Apache Kafka ${config.kafka.version}, data in ${shortPath(config.kafka.dir)})`,
    );
    if (config.secure && report.secrets) {
      say(
        `secured: kafka SASL_SSL (SCRAM-SHA-256/512, user ${config.secure.username}) on ${config.kafka.host}:${config.secure.kafkaPort}, ` +
          `redis TLS (user ${config.secure.username}) on ${config.redis.host}:${config.secure.redisTlsPort}; ` +
          `the settings a service or the CLI needs are in ${shortPath(report.secrets.clientEnvFile)} ` +
          `(set -a; . ${shortPath(report.secrets.clientEnvFile)}; set +a)`,
      );
    }
    const registry = config.schemaRegistry;
    if (report.schemaRegistry) {
      say(
        `schema-registry ${report.schemaRegistry.outcome.replace('-', ' ')} on ${registry.host}:${registry.port} (pid ${report.schemaRegistry.pid}, Apicurio Registry ${registry.version}, data in ${shortPath(registry.dir)}); ` +
          `for Avro, services and the CLI take SCHEMA_REGISTRY_URL=${registry.url}`,
      );
    }
  });

program
  .command('down')
  .description('stop Kafka, Redis and the schema registry cleanly (SIGTERM, then wait)')
  .option('--wipe', 'also delete their data (topics, offsets, join state)', false)
  .action(async (options: { wipe: boolean }) => {
    const config = readStackConfig();
    const report = await stackDown(config, { wipe: options.wipe });
    for (const [name, stop] of [
      ['kafka', report.kafka],
      ['redis', report.redis],
      ['schema-registry', report.schemaRegistry],
    ] as const) {
      // Silent about a registry that was never asked for.
      if (name === 'schema-registry' && stop.outcome === 'not-running' && !stop.wiped) continue;
      say(
        `${name} ${stop.outcome}${stop.pid === undefined ? '' : ` (pid ${stop.pid})`}${stop.wiped ? ', data wiped' : ''}`,
      );
    }
  });

program
  .command('status')
  .description('show whether Kafka, Redis and the schema registry run and answer')
  .option('--json', 'print as JSON', false)
  .option(...withRegistry)
  .action(async (options: { json: boolean; withRegistry: boolean }) => {
    const config = readStackConfig(process.env, options);
    const report = await stackStatus(config);
    if (options.json) console.log(JSON.stringify(report, null, 2));
    else {
      const rows = [report.kafka, report.redis, report.schemaRegistry].map((server) => [
        server.name,
        server.state,
        server.address,
        server.pid === undefined ? '' : `pid ${server.pid}`,
        shortPath(server.dataDir),
        server.detail ?? '',
      ]);
      for (const line of textTable(rows)) console.log(line);
    }
    const counted = [report.kafka, report.redis];
    // A registry not asked for is not missing; one left running still shows.
    if (config.schemaRegistry.enabled) counted.push(report.schemaRegistry);
    if (counted.some((server) => server.state !== 'running')) process.exitCode = 3;
  });

try {
  await program.parseAsync();
} catch (error) {
  if (error instanceof StackError || error instanceof ConfigError) {
    console.error(`stack: ${error.message}`);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
