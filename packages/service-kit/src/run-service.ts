import { collectDefaultMetrics, Registry } from 'prom-client';

import { parseEnv, type commonEnv, type EnvConfig, type EnvShape } from './env.js';
import { ConfigError } from './errors.js';
import { HealthChecks } from './health.js';
import { startOpsServer, type OpsServer } from './http-server.js';
import { kafkaSecurity } from './kafka-security.js';
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
  collectDefaultMetrics({
    register: metrics,
    prefix: 'driftwatch_',
    // The event-loop lag histogram samples on a timer; prom-client's 10 ms default woke an idle
    // service 100 times a second, most of its wake-ups. Ten samples a second still show a stall.
    eventLoopMonitoringPrecision: 100,
  });
  const health = new HealthChecks({
    graceMs: common.HEALTH_GRACE,
    onChange: ({ name, state, reason }) => {
      if (state === 'up')
        logger.info({ event: 'dependency.up', dependency: name }, `${name} reachable`);
      else
        logger.warn(
          { event: 'dependency.down', dependency: name, reason },
          `${name} unreachable: ${reason}`,
        );
    },
  });
  let ops: OpsServer;
  try {
    ops = await startOpsServer({
      host: common.HTTP_HOST,
      port: common.HTTP_PORT,
      metrics,
      health: () => health.report(),
    });
  } catch (error) {
    // A taken or forbidden port is a configuration mistake: one line naming the variable.
    const code = (error as { code?: unknown }).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES' && code !== 'EADDRNOTAVAIL') throw error;
    console.error(
      `${options.name}: HTTP_PORT ${common.HTTP_PORT} on HTTP_HOST ${common.HTTP_HOST} cannot be used (${code}): ` +
        (code === 'EADDRINUSE'
          ? 'another process listens there; pick a free port or 0 for any'
          : (error as Error).message),
    );
    process.exit(2);
  }
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
    const unreachable = health.unreachable();
    if (unreachable.length === 0)
      logger.info({ event: 'service.started' }, `${options.name} started`);
    else
      logger.warn(
        { event: 'service.started', unreachable },
        `${options.name} started, but cannot reach ${unreachable.map(({ name }) => name).join(' and ')} yet; waiting for it`,
      );
    const stoppedOnItsOwn = service.done?.then(
      () => 'stopped',
      (error: unknown) => {
        exitCode = reportFailure(error);
        return 'failed';
      },
    );
    await Promise.race([shutdown.requested, ...(stoppedOnItsOwn ? [stoppedOnItsOwn] : [])]);
    if (!(await stopsWithin(service.stop(), common.SHUTDOWN_TIMEOUT))) {
      logger.error(
        { event: 'shutdown.timed_out', timeoutMs: common.SHUTDOWN_TIMEOUT },
        `${options.name} did not stop within SHUTDOWN_TIMEOUT; exiting without finishing (uncommitted work is read again on restart)`,
      );
      exitCode = 1;
    }
  } catch (error) {
    exitCode = reportFailure(error);
  } finally {
    await ops.close();
  }
  logger.info({ event: 'service.stopped', exitCode }, `${options.name} stopped`);
  // Flush pino's buffered stdout before the process goes.
  logger.flush(() => process.exit(exitCode));
}

/**
 * Whether `stopping` settles within `timeoutMs`. Stopping flushes and disconnects, and with a
 * dependency down each of those can wait on reconnect backoff for a long time; nothing is lost
 * by giving up, because what was not committed is read again by the next owner.
 */
async function stopsWithin(stopping: Promise<void>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => {
      resolve(false);
    }, timeoutMs);
  });
  try {
    return await Promise.race([stopping.then(() => true), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
