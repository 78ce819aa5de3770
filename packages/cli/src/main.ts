import { Command } from 'commander';

import { alertsCommand } from './commands/alerts.js';
import { bootstrapCommand } from './commands/bootstrap.js';
import { deadLettersCommand } from './commands/dead-letters.js';
import { decisionCommand } from './commands/decision.js';
import { demoCommand } from './commands/demo.js';
import { modelsCommand } from './commands/models.js';
import { replayCommand } from './commands/replay.js';
import { reportCommand } from './commands/report.js';
import { retrainCommand } from './commands/retrain.js';
import { rollbackCommand } from './commands/rollback.js';
import { runCommand } from './commands/run.js';
import { statusCommand } from './commands/status.js';
import { exitStatus } from './exit-status.js';

const program = new Command('driftwatch')
  .description('streaming drift detection for ML models on Apache Kafka')
  // Each command's options belong to it alone: `models register … --json` is register's.
  .enablePositionalOptions()
  .addHelpText(
    'after',
    `
Environment (the services' own variables, so one shell drives one deployment):
  KAFKA_BROKERS         host:port[,…]          default 127.0.0.1:9092
  TOPIC_PREFIX          prefix of every topic  default ""
  SCHEMA_REGISTRY_URL   Avro through it; unset: JSON messages
  KAFKA_TOPIC_PARTITIONS, KAFKA_REPLICATION_FACTOR  for topics the CLI creates

Exit codes: 0 ok; 1 a failure (one line on stderr); 2 a bad option or environment variable;
130 interrupted.`,
  );

for (const command of [
  replayCommand(),
  alertsCommand(),
  deadLettersCommand(),
  modelsCommand(),
  decisionCommand('promote'),
  decisionCommand('reject'),
  rollbackCommand(),
  retrainCommand(),
  statusCommand(),
  reportCommand(),
  runCommand(),
  bootstrapCommand(),
  demoCommand(),
]) {
  program.addCommand(command);
}
// Usage errors throw (instead of exiting) so that they end with code 2, like a bad variable;
// subcommands too (`models register`).
const withSubcommands = (command: Command): Command[] => [
  command,
  ...command.commands.flatMap(withSubcommands),
];
for (const command of withSubcommands(program)) {
  command.exitOverride().showHelpAfterError('(add --help for usage and examples)');
}

try {
  await program.parseAsync();
} catch (error) {
  const status = exitStatus(error);
  if (status === undefined) throw error;
  if (status.message !== '') console.error(`driftwatch: ${status.message}`);
  // Exit now: a failed command may leave a client's timers behind that would keep node running.
  process.exit(status.exitCode);
}
