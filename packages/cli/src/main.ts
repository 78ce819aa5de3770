import { commonEnv, ConfigError, parseEnv, redisEnv } from '@driftwatch/service-kit';
import { Command, Option } from 'commander';

import { runDemo } from './commands/demo.js';

const program = new Command('driftwatch')
  .description('streaming drift detection for ML models on Apache Kafka')
  .showHelpAfterError();

program
  .command('demo')
  .description('run the end-to-end demo against the local stack (npm run demo brings it up)')
  .addOption(new Option('--events <n>', 'events to stream').default(1000).argParser(Number))
  .option('--json', 'print the summary as one JSON object', false)
  .action(async (options: { events: number; json: boolean }) => {
    const env = parseEnv({ ...commonEnv, ...redisEnv });
    const summary = await runDemo({
      brokers: env.KAFKA_BROKERS,
      redisUrl: env.REDIS_URL,
      events: options.events,
    });
    if (options.json) console.log(JSON.stringify(summary));
    else {
      console.log(
        `produced ${summary.produced} events to ${summary.topic}, consumed ${summary.consumed} back`,
      );
      console.log(`redis round trip: ${summary.redisRoundTrip ? 'ok' : 'FAILED'}`);
    }
    if (summary.consumed !== summary.produced || !summary.redisRoundTrip) process.exitCode = 1;
  });

try {
  await program.parseAsync();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`driftwatch: ${error.message}`);
    process.exitCode = 2;
  } else throw error;
}
