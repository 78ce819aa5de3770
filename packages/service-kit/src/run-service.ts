import { collectDefaultMetrics, Registry } from 'prom-client';

import { parseEnv, type commonEnv, type EnvConfig, type EnvShape } from './env.js';
import { ConfigError } from './errors.js';
import { HealthChecks } from './health.js';
import { kafkaSecurity } from './kafka-security.js';
import { startOpsServer } from './http-server.js';
import { createLogger, type Logger } from './logger.js';
import { createShutdown, type Shutdown } from './shutdown.js';

export interface ServiceContext<Shape extends EnvShape> {
  config: EnvConfig<Shape>;
  logger: Logger;
  metrics: Registry;
  health: HealthChecks;
  shutdown: Shutdown;
}

export interface RunningService {
  /** Finish the batch in hand, commit, close connections. Called once, on shutdown. */
  stop(): Promise<void>;
  /** Settles if the service stops on its own (a fatal error); the process then exits 1. */
  done?: Promise<void>;
}

/**
 * The lifecycle every driftwatch service shares: validate env (exit 2 naming each bad variable),
 * log JSON, serve /metrics and /healthz, start, and on SIGTERM stop in order and exit 0.
 */
export async function runService<Shape extends EnvShape & typeof commonEnv>(options: {
  name: string;
  env: Shape;
  start: (context: ServiceContext<Shape>) => Promise<RunningService>;
}): Promise<void> {
  let config: EnvConfig<Shape>;
  try {
    config = parseEnv(options.env);
    // Kafka security spans several variables; a bad combination is refused before anything runs.
    kafkaSecurity(config);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`${options.name}: ${error.message}`);
    process.exit(2);
  }
  // Shape extends commonEnv, so these fields are there; TypeScript cannot see through zod's mapping.
  const common = config as EnvConfig<typeof commonEnv>;
  const logger = createLogger(options.name, common.LOG_LEVEL);
  const shutdown = createShutdown(logger);
  const metrics = new Registry();
  metrics.setDefaultLabels({ service: options.name });
  collectDefaultMetrics({ register: metrics, prefix: 'driftwatch_' });
  const health = new HealthChecks();
  const ops = await startOpsServer({
    host: common.HTTP_HOST,
    port: common.HTTP_PORT,
    metrics,
    health: () => health.report(),
  });
  logger.info(
    { event: 'ops.listening', port: ops.port },
    `/metrics and /healthz on port ${ops.port}`,
  );

  /** Logs why the service failed and returns its exit code. */
  const reportFailure = (error: unknown): number => {
    if (error instanceof ConfigError) {
      // Found only once connecting (a file unreadable, a password refused): still the operator's
      // to fix, so one line and exit 2 as for a bad variable, with no stack trace to dig through.
      logger.error({ event: 'service.config_invalid', code: error.code }, error.message);
      return 2;
    }
    logger.error({ event: 'service.failed', err: error }, `${options.name} failed`);
    return 1;
  };
  let exitCode = 0;
  try {
    const service = await options.start({ config, logger, metrics, health, shutdown });
    logger.info({ event: 'service.started' }, `${options.name} started`);
    const stoppedOnItsOwn = service.done?.then(
      () => 'stopped',
      (error: unknown) => {
        exitCode = reportFailure(error);
        return 'failed';
      },
    );
    await Promise.race([shutdown.requested, ...(stoppedOnItsOwn ? [stoppedOnItsOwn] : [])]);
    await service.stop();
  } catch (error) {
    exitCode = reportFailure(error);
  } finally {
    await ops.close();
  }
  logger.info({ event: 'service.stopped', exitCode }, `${options.name} stopped`);
  // Flush pino's buffered stdout before the process goes.
  logger.flush(() => process.exit(exitCode));
}
