import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { createLogger } from '@driftwatch/service-kit';

import { logLevel, type LogEntry } from './kafka.js';
import { kafkajsLogCreator } from './kafkajs-log-creator.js';

function capture(): {
  lines: { level: string; msg: string; repeated?: number }[];
  logger: ReturnType<typeof createLogger>;
} {
  const lines: { level: string; msg: string; repeated?: number }[] = [];
  const logger = createLogger('test', 'debug');
  for (const level of ['debug', 'info', 'warn', 'error'] as const) {
    logger[level] = ((context: { repeated?: number }, msg: string) => {
      lines.push({ level, msg, ...(context.repeated ? { repeated: context.repeated } : {}) });
    }) as never;
  }
  return { lines, logger };
}

function entry(level: LogEntry['level'], namespace: string, message: string, extra = {}): LogEntry {
  return {
    namespace,
    level,
    label: '',
    log: { timestamp: '', logger: 'kafkajs', message, ...extra },
  };
}

describe('kafkajsLogCreator', () => {
  it('logs a repeated warning once per window, then says how many it held back', () => {
    let at = 0;
    const { lines, logger } = capture();
    const log = kafkajsLogCreator(logger, () => at)();
    for (let i = 0; i < 500; i++) {
      log(entry(logLevel.WARN, 'Connection', 'Connection error: connect ECONNREFUSED'));
      at += 100;
    }
    // 50 s of one warning every 100 ms: the first, and one more when the 30 s window ends.
    assert.deepEqual(lines, [
      { level: 'warn', msg: 'Connection error: connect ECONNREFUSED' },
      { level: 'warn', msg: 'Connection error: connect ECONNREFUSED', repeated: 299 },
    ]);
  });

  it('sends answers kafkajs retries itself to debug, and keeps info as it is', () => {
    const { lines, logger } = capture();
    const log = kafkajsLogCreator(logger, () => 0)();
    log(entry(logLevel.ERROR, 'Connection', 'Response AddOffsetsToTxn(key: 25, version: 1)'));
    log(
      entry(logLevel.ERROR, 'Producer', 'Failed to send messages: concurrent transactions', {
        retryCount: 1,
      }),
    );
    log(entry(logLevel.INFO, 'ConsumerGroup', 'Consumer has joined the group'));
    log(entry(logLevel.ERROR, 'Consumer', 'Crash: KafkaJSNumberOfRetriesExceeded'));
    // As kafkajs logs a crash: with the retry count, undefined when the join failed at once.
    log(
      entry(logLevel.ERROR, 'Consumer', 'Crash: KafkaJSNonRetriableError', {
        retryCount: undefined,
      }),
    );
    assert.deepEqual(
      lines.map(({ level }) => level),
      ['debug', 'debug', 'info', 'error', 'error'],
    );
  });
});
