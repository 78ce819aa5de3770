import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/** JSON lines on stdout, one per event, each with the service name: what log shippers expect. */
export function createLogger(service: string, level: string): Logger {
  return pino({
    name: service,
    level,
    base: { service, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}
