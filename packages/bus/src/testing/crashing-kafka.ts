import { EventEmitter } from 'node:events';

import type { Kafka } from '../kafka.js';

/**
 * A kafkajs client reduced to what a follower, a range read or a restart uses, whose consumer
 * crashes when told to, as kafkajs reports a consumer it abandons (`restart: false`). That crash
 * cannot be caused on demand with a real broker: it needs a broker restart to land inside a
 * group join (test/integration/broker-restart.test.ts meets it only sometimes). Every partition
 * holds one record the consumer never hands over, so whatever waits for the end keeps waiting.
 */
export function crashingKafka(): {
  kafka: Kafka;
  /** As kafkajs reports a crash: `restart: false` when it abandons the consumer. */
  crash(error: Error, restart?: boolean): void;
  /** The consumer's `connect` and `run` calls, in order. */
  calls(): readonly string[];
  /** How many times a consumer was started (`run`). */
  runs(): number;
} {
  const emitter = new EventEmitter();
  const calls: string[] = [];
  const consumer = {
    events: { CRASH: 'crash', GROUP_JOIN: 'join', END_BATCH_PROCESS: 'end' },
    on: (event: string, listener: (event: unknown) => void) => emitter.on(event, listener),
    connect: () => {
      calls.push('connect');
      return Promise.resolve();
    },
    subscribe: () => Promise.resolve(),
    run: () => {
      calls.push('run');
      return Promise.resolve();
    },
    seek: () => undefined,
    disconnect: () => Promise.resolve(),
  };
  const offsets = [{ partition: 0, high: '1', low: '0', offset: '0' }];
  const admin = {
    connect: () => Promise.resolve(),
    disconnect: () => Promise.resolve(),
    deleteGroups: () => Promise.resolve(),
    fetchTopicOffsets: () => Promise.resolve(offsets),
    fetchTopicOffsetsByTimestamp: () => Promise.resolve(offsets),
  };
  return {
    kafka: { consumer: () => consumer, admin: () => admin } as unknown as Kafka,
    crash: (error, restart = false) => emitter.emit('crash', { payload: { error, restart } }),
    calls: () => calls,
    runs: () => calls.filter((call) => call === 'run').length,
  };
}

/** kafkajs' answer when a join finds no broker: not retriable to kafkajs, retriable to the bus. */
export function noCoordinator(): Error {
  return Object.assign(new Error('Failed to find group coordinator'), {
    name: 'KafkaJSNonRetriableError',
    retriable: false,
    cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9092'), {
      name: 'KafkaJSConnectionError',
      retriable: true,
    }),
  });
}

/** An answer retrying cannot fix. */
export function notAuthorized(): Error {
  return Object.assign(new Error('Not authorized to access group'), {
    name: 'KafkaJSProtocolError',
    retriable: false,
  });
}
