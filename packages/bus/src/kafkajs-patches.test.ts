import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';

const require = createRequire(import.meta.url);
const groupingModule = require.resolve('kafkajs/src/producer/groupMessagesPerPartition.js');
const requestQueueModule = require.resolve('kafkajs/src/network/requestQueue/index.js');
const encoderModule = require.resolve('kafkajs/src/protocol/encoder.js');
const produceRequestModule = require.resolve('kafkajs/src/protocol/requests/produce/v3/request.js');
const crc32cModule = require.resolve('kafkajs/src/protocol/recordBatch/crc32C/index.js');

type Grouping = (options: {
  topic: string;
  partitionMetadata: readonly { partitionId: number }[];
  messages: readonly { value: string; partition: number }[];
  partitioner: (options: { message: { partition: number } }) => number;
}) => Record<string, { value: string; partition: number }[]>;

// patches/kafkajs+2.2.4.patch, applied by `npm ci` (postinstall: patch-package --error-on-fail).
describe('kafkajs as patched', () => {
  it('groups a send by partition without copying each partition’s messages per message', async () => {
    const source = await readFile(groupingModule, 'utf8');
    assert.doesNotMatch(
      source,
      /\[\.\.\.current, message\]/,
      'the quadratic grouping of kafkajs 2.2.4 is back: run `npm ci` (patch-package applies patches/)',
    );
  });

  it('keeps every message, in the order sent, under the partition the partitioner chose', () => {
    const group = require(groupingModule) as Grouping;
    const messages = Array.from({ length: 1000 }, (_, index) => ({
      value: `m${String(index)}`,
      partition: (index * 7) % 3,
    }));
    const grouped = group({
      topic: 't',
      partitionMetadata: [{ partitionId: 0 }, { partitionId: 1 }, { partitionId: 2 }],
      messages,
      partitioner: ({ message }) => message.partition,
    });
    assert.deepEqual(Object.keys(grouped).sort(), ['0', '1', '2']);
    for (const partition of [0, 1, 2]) {
      assert.deepEqual(
        grouped[String(partition)],
        messages.filter((message) => message.partition === partition),
      );
    }
    assert.deepEqual(
      group({ topic: 't', partitionMetadata: [], messages, partitioner: () => 0 }),
      {},
    );
  });

  describe('a produce request', () => {
    interface ProducedRecord {
      key: Buffer | null;
      value: Buffer | null;
      headers: Record<string, Buffer | Buffer[]>;
      timestamp: string;
    }
    type DecoderInstance = {
      readString(): string;
      readInt16(): number;
      readInt32(): number;
      readBytes(): Buffer;
      readArray<T>(reader: (decoder: DecoderInstance) => T): T[];
    };
    const Decoder = require('kafkajs/src/protocol/decoder.js') as new (
      buffer: Buffer,
    ) => DecoderInstance;
    const decodeRecordBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder.js') as (
      decoder: DecoderInstance,
    ) => Promise<{ records: ProducedRecord[] }>;
    const produceRequest = require(produceRequestModule) as (options: {
      acks: number;
      timeout: number;
      topicData: {
        topic: string;
        partitions: { partition: number; firstSequence: number; messages: object[] }[];
      }[];
    }) => { encode(): Promise<{ buffer: Buffer }> };

    it('builds each record from the message’s fields, not from a copy of the whole message', async () => {
      const source = await readFile(produceRequestModule, 'utf8');
      assert.doesNotMatch(
        source,
        /Record\(\{\s*\.\.\.message,/,
        'kafkajs 2.2.4 copies every message again: run `npm ci` (patch-package applies patches/)',
      );
    });

    it('writes each message’s key, value, headers and timestamp, whatever else the message holds', async () => {
      // The shapes the services send: with a topic and partition, with headers, without a key.
      const messages = [
        { topic: 't', partition: 1, key: 'k0', value: 'v0', timestamp: '1000' },
        { key: Buffer.from('k1'), value: 'v1', headers: { code: 'DW_X', many: ['a', 'b'] } },
        { value: 'v2', timestamp: '1500' },
      ];
      const { buffer } = await produceRequest({
        acks: -1,
        timeout: 30_000,
        topicData: [{ topic: 't', partitions: [{ partition: 1, firstSequence: 0, messages }] }],
      }).encode();
      const request = new Decoder(buffer);
      request.readString();
      request.readInt16();
      request.readInt32();
      const [topic] = request.readArray((decoder) => ({
        name: decoder.readString(),
        batches: decoder.readArray((partition) => {
          partition.readInt32();
          return partition.readBytes();
        }),
      }));
      const [batch] = topic?.batches ?? [];
      assert.ok(batch, 'one record batch');
      const { records } = await decodeRecordBatch(new Decoder(batch));
      assert.deepEqual(
        records.map(({ key, value, headers }) => [
          key?.toString() ?? null,
          value?.toString(),
          Object.fromEntries(
            Object.entries(headers).map(([name, values]) => [
              name,
              [values].flat().map((header) => header.toString()),
            ]),
          ),
        ]),
        [
          ['k0', 'v0', {}],
          ['k1', 'v1', { code: ['DW_X'], many: ['a', 'b'] }],
          [null, 'v2', {}],
        ],
      );
      assert.equal(records[0]?.timestamp, '1000');
      assert.equal(records[2]?.timestamp, '1500');
    });

    describe('a record batch’s checksum', () => {
      const checksum = require(crc32cModule) as ((buffer: Buffer) => number) & {
        implementation?: string;
      };

      /** CRC-32C as Kafka's record batch defines it: Castagnoli, reflected (0x82F63B78), bit by bit. */
      function crc32c(bytes: Uint8Array): number {
        let crc = 0xffffffff;
        for (const byte of bytes) {
          crc ^= byte;
          for (let bit = 0; bit < 8; bit += 1) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
        }
        return (crc ^ 0xffffffff) >>> 0;
      }

      it('is computed in native code, not kafkajs’s byte-at-a-time table', () => {
        assert.equal(
          checksum.implementation,
          '@node-rs/crc32',
          'kafkajs’s own CRC-32C is back: run `npm ci` (patch-package applies patches/)',
        );
      });

      it('is CRC-32C of any bytes, including a view into a larger buffer', () => {
        assert.equal(checksum(Buffer.from('123456789')), 0xe3069283, 'the standard check value');
        assert.equal(checksum(Buffer.alloc(0)), 0);
        const bytes = randomBytes(70_000);
        for (const [start, end] of [
          [0, 70_000],
          [1, 2],
          [3, 4_099],
          [65_535, 70_000],
        ] as const) {
          const view = bytes.subarray(start, end);
          assert.equal(checksum(view), crc32c(view), `bytes ${String(start)}–${String(end)}`);
        }
      });

      it('is written into each produced batch over the bytes after it', async () => {
        const { buffer } = await produceRequest({
          acks: -1,
          timeout: 30_000,
          topicData: [
            {
              topic: 't',
              partitions: [
                {
                  partition: 0,
                  firstSequence: 0,
                  messages: Array.from({ length: 50 }, (_, index) => ({
                    value: `v${String(index)}`,
                  })),
                },
              ],
            },
          ],
        }).encode();
        const request = new Decoder(buffer);
        request.readString();
        request.readInt16();
        request.readInt32();
        const [batch] = request.readArray((topic) => {
          topic.readString();
          return topic.readArray((partition) => {
            partition.readInt32();
            return partition.readBytes();
          })[0];
        });
        assert.ok(batch, 'one record batch');
        // baseOffset (8), batchLength (4), partitionLeaderEpoch (4), magic (1), then the CRC, which
        // covers everything from the attributes on.
        assert.equal(batch.readUInt32BE(17), crc32c(batch.subarray(21)));
      });
    });
  });

  describe('the protocol encoder', () => {
    interface EncoderInstance {
      writeInt8(value: number): EncoderInstance;
      writeVarIntBytes(value: string): EncoderInstance;
      writeVarIntArray(value: unknown[]): EncoderInstance;
      writeVarInt(value: number): EncoderInstance;
      writeVarLong(value: unknown): EncoderInstance;
      writeString(value: string): EncoderInstance;
      readonly buffer: Buffer;
    }
    const Encoder = require(encoderModule) as {
      new (initialSize?: number): EncoderInstance;
      sizeOfVarInt(value: number): number;
      sizeOfVarLong(value: unknown): number;
    };
    const Long = require('kafkajs/src/utils/long.js') as {
      fromString(value: string): { toString(): string };
    };
    const Decoder = require('kafkajs/src/protocol/decoder.js') as new (buffer: Buffer) => {
      readVarInt(): number;
      readVarLong(): { toString(): string };
    };
    const decoderSource = require.resolve('kafkajs/src/protocol/decoder.js');
    const recordDecoderSource =
      require.resolve('kafkajs/src/protocol/recordBatch/record/v0/decoder.js');

    /** Kafka's varlong, from its definition: zigzag over 64 bits, then 7 bits a byte, LSB first. */
    function varlong(value: bigint): number[] {
      let zigzag = BigInt.asUintN(64, (value << 1n) ^ (value >> 63n));
      const bytes: number[] = [];
      while (zigzag >= 0x80n) {
        bytes.push(Number(zigzag & 0x7fn) | 0x80);
        zigzag >>= 7n;
      }
      return [...bytes, Number(zigzag)];
    }

    // Every length of varint from 1 to 10 bytes, both signs, and the fast path's edges (±2^30).
    const edges = [0, 1, 63, 64, 8191, 8192, 2 ** 20, 2 ** 27, 2 ** 30 - 1, 2 ** 30, 2 ** 31 - 1];
    const ints = [...edges, ...edges.map((value) => -value - 1), -(2 ** 31)];
    const longs = [
      ...ints,
      2 ** 31,
      2 ** 35,
      2 ** 42 + 7,
      Number.MAX_SAFE_INTEGER,
      Number.MIN_SAFE_INTEGER,
      1_764_000_000_000,
    ];

    it('writes every varint and varlong as Kafka defines them, and sizes them alike', () => {
      for (const value of ints) {
        const written = new Encoder().writeVarInt(value).buffer;
        assert.deepEqual([...written], varlong(BigInt(value)), `varint ${String(value)}`);
        assert.equal(Encoder.sizeOfVarInt(value), written.length);
        assert.equal(new Decoder(written).readVarInt(), value);
      }
      const asLongs = ['9223372036854775807', '-9223372036854775808', '-1', '300'];
      for (const value of [...longs, ...asLongs.map((digits) => Long.fromString(digits))]) {
        const written = new Encoder().writeVarLong(value).buffer;
        const expected = varlong(BigInt(String(value)));
        assert.deepEqual([...written], expected, `varlong ${String(value)}`);
        assert.equal(Encoder.sizeOfVarLong(value), written.length);
        assert.equal(new Decoder(written).readVarLong().toString(), String(value));
      }
    });

    it('reads back exactly what it wrote, through every growth of its buffer', () => {
      const encoder = new Encoder(8);
      const expected: number[] = [];
      for (let i = 0; i < 2_000; i++) {
        const value = longs[i % longs.length] ?? 0;
        encoder.writeVarLong(value).writeString(`s${String(i)}`);
        const text = Buffer.from(`s${String(i)}`);
        expected.push(...varlong(BigInt(value)), 0, text.length, ...text);
      }
      assert.deepEqual([...encoder.buffer], expected);
    });

    it('reads each record’s offset and timestamp as the batch’s first plus the record’s delta, exactly, up to 2^63', () => {
      const decodeRecord = require('kafkajs/src/protocol/recordBatch/record/v0/decoder.js') as (
        decoder: unknown,
        context: { firstOffset: string; firstTimestamp: string; timestampType: number },
      ) => { offset: string; timestamp: string; key: Buffer; value: Buffer };
      const record = (timestampDelta: unknown, offsetDelta: number): Buffer =>
        new Encoder()
          .writeInt8(0)
          .writeVarLong(timestampDelta)
          .writeVarInt(offsetDelta)
          .writeVarIntBytes('k')
          .writeVarIntBytes('v')
          .writeVarIntArray([]).buffer;
      const cases: [string, unknown, number][] = [
        ['0', 0, 0],
        ['1764950000000', 1_500, 6_666],
        ['1764950000000', -3, 2 ** 30],
        ['9007199254740000', 2 ** 20, 1_000], // past 2^53: the Long path, as before
        ['9223372036854775000', 800, 7],
        ['-1', 0, 3],
        ['42', Long.fromString('4611686018427387904'), 0],
      ];
      for (const [first, timestampDelta, offsetDelta] of cases) {
        const decoded = decodeRecord(new Decoder(record(timestampDelta, offsetDelta)), {
          firstOffset: first,
          firstTimestamp: first,
          timestampType: 0,
        });
        const sum = (delta: unknown) => String(BigInt(first) + BigInt(String(delta)));
        assert.equal(
          decoded.timestamp,
          sum(timestampDelta),
          `timestamp ${first} + ${String(timestampDelta)}`,
        );
        assert.equal(decoded.offset, sum(offsetDelta), `offset ${first} + ${String(offsetDelta)}`);
        assert.deepEqual([decoded.key.toString(), decoded.value.toString()], ['k', 'v']);
      }
    });

    it('takes its buffers from the pool, unzeroed, and writes varints in place', async () => {
      const source = await readFile(encoderModule, 'utf8');
      assert.doesNotMatch(
        source,
        /Buffer\.alloc\(|Buffer\.from\(byteArray\)\)\s*return this\s*\}\s*writeVarLong/,
        'kafkajs 2.2.4’s encoder is back: run `npm ci` (patch-package applies patches/)',
      );
      assert.match(await readFile(decoderSource, 'utf8'), /driftwatch patch/);
      assert.match(await readFile(recordDecoderSource, 'utf8'), /addToDecimal\(firstOffset/);
    });
  });

  describe('a connection’s request queue', () => {
    interface RequestQueue {
      pending: unknown[];
      throttleCheckTimeoutId: NodeJS.Timeout | null;
      push(request: {
        entry: { correlationId: number; resolve(): void; reject(): void };
        expectResponse: boolean;
        sendRequest(): void;
      }): void;
      checkPendingRequests(): void;
      maybeThrottle(ms: number): void;
      destroy(): void;
    }
    const RequestQueue = require(requestQueueModule) as new (options: {
      maxInFlightRequests: number | null;
      requestTimeout: number;
      enforceRequestTimeout: boolean;
      clientId: string;
      broker: string;
      logger: { debug(): void; warn(): void };
    }) => RequestQueue;
    const queue = (): RequestQueue =>
      new RequestQueue({
        maxInFlightRequests: null,
        requestTimeout: 30_000,
        enforceRequestTimeout: false,
        clientId: 'test',
        broker: 'localhost:9092',
        logger: { debug: () => undefined, warn: () => undefined },
      });

    it('schedules no check while nothing is pending (kafkajs 2.2.4 looped on a 1 ms timer)', () => {
      const idle = queue();
      idle.checkPendingRequests();
      const scheduled = idle.throttleCheckTimeoutId ?? null;
      // Unpatched, the loop would keep this test process alive for ever.
      idle.destroy();
      assert.equal(
        scheduled,
        null,
        'an idle queue scheduled a check: the timer loop of kafkajs 2.2.4 is back; run `npm ci`',
      );
    });

    it('still sends a request that waited for a throttle to end, then schedules nothing', async () => {
      const throttled = queue();
      throttled.maybeThrottle(20);
      const sent = new Promise<void>((resolve) => {
        throttled.push({
          entry: { correlationId: 1, resolve: () => undefined, reject: () => undefined },
          expectResponse: false,
          sendRequest: resolve,
        });
      });
      assert.equal(throttled.pending.length, 1, 'a throttled request waits');
      await sent;
      const scheduled = throttled.throttleCheckTimeoutId ?? null;
      throttled.destroy();
      assert.equal(throttled.pending.length, 0);
      assert.equal(scheduled, null, 'a check was scheduled with nothing left pending');
    });
  });
});

describe('a transactional producer’s coordinators, as patched', () => {
  const eosManagerModule = require.resolve('kafkajs/src/producer/eosManager/index.js');
  const { createErrorFromCode } = require('kafkajs/src/protocol/error.js') as {
    createErrorFromCode: (code: number) => Error & { type: string };
  };
  const { KafkaJSConnectionError } = require('kafkajs/src/errors.js') as {
    KafkaJSConnectionError: new (message: string) => Error;
  };
  const NOT_COORDINATOR = 16;
  const CONCURRENT_TRANSACTIONS = 51;
  const requestNames = ['addPartitionsToTxn', 'addOffsetsToTxn', 'txnOffsetCommit', 'endTxn'];

  interface EosManager {
    initProducerId(): Promise<void>;
    beginTransaction(): void;
    addPartitionsToTransaction(topicData: unknown[]): Promise<void>;
    sendOffsets(options: { consumerGroupId: string; topics: unknown[] }): Promise<void>;
    commit(): Promise<void>;
  }

  /** eosManager over a one-broker cluster that counts lookups and requests, failing on demand. */
  function producerOverFakeCluster() {
    const lookups: string[] = [];
    const sent: string[] = [];
    const failures = new Map<string, Error[]>();
    const request =
      (name: string, answer: object = {}) =>
      () => {
        sent.push(name);
        const failure = failures.get(name)?.shift();
        return failure ? Promise.reject(failure) : Promise.resolve(answer);
      };
    const broker = {
      nodeId: 1,
      initProducerId: request('initProducerId', { producerId: 7, producerEpoch: 0 }),
      ...Object.fromEntries(requestNames.map((name) => [name, request(name)])),
    };
    const cluster = {
      retry: { retries: 0 },
      refreshMetadataIfNecessary: () => Promise.resolve(),
      findBroker: () => Promise.resolve(broker),
      findGroupCoordinator: ({ groupId }: { groupId: string }) => {
        lookups.push(groupId);
        return Promise.resolve(broker);
      },
    };
    const createEosManager = require(eosManagerModule) as (options: object) => EosManager;
    const eos = createEosManager({
      logger: { debug: () => undefined, warn: () => undefined, error: () => undefined },
      cluster,
      transactional: true,
      transactionalId: 'tx',
    });
    const offsets = {
      consumerGroupId: 'group',
      topics: [{ topic: 'in', partitions: [{ partition: 0, offset: '1' }] }],
    };
    const transaction = async () => {
      eos.beginTransaction();
      await eos.addPartitionsToTransaction([{ topic: 't', partitions: [{ partition: 0 }] }]);
      await eos.sendOffsets(offsets);
      await eos.commit();
    };
    const fail = (name: string, ...errors: Error[]) => failures.set(name, errors);
    return { eos, lookups, sent, fail, transaction, offsets };
  }

  it('looks each coordinator up once, not before every request of every transaction', async () => {
    const { eos, lookups, sent, transaction } = producerOverFakeCluster();
    await eos.initProducerId();
    for (let i = 0; i < 3; i++) await transaction();
    assert.deepEqual(
      lookups,
      ['tx', 'group'],
      'kafkajs 2.2.4 looked up a coordinator before each of the four requests: run `npm ci`',
    );
    assert.equal(sent.length, 1 + 12, 'every transaction still sent its four requests');
  });

  it('looks a coordinator up again after it says it is not, or does not answer', async () => {
    const { eos, lookups, fail, transaction, offsets } = producerOverFakeCluster();
    await eos.initProducerId();
    await transaction();
    const partitions = [{ topic: 't', partitions: [{ partition: 0 }] }];
    eos.beginTransaction();
    fail('addPartitionsToTxn', createErrorFromCode(NOT_COORDINATOR));
    await assert.rejects(eos.addPartitionsToTransaction(partitions), {
      type: 'NOT_COORDINATOR_FOR_GROUP',
    });
    await eos.addPartitionsToTransaction(partitions);
    assert.deepEqual(lookups, ['tx', 'group', 'tx'], 'the moved coordinator is looked up again');
    fail('txnOffsetCommit', new KafkaJSConnectionError('Connection error: ECONNREFUSED'));
    await assert.rejects(eos.sendOffsets(offsets), /ECONNREFUSED/);
    await eos.sendOffsets(offsets);
    await eos.commit();
    assert.deepEqual(lookups, ['tx', 'group', 'tx', 'group'], 'no answer proves nothing');
    await transaction();
    assert.equal(lookups.length, 4, 'found again, kept again');
    fail('initProducerId', createErrorFromCode(NOT_COORDINATOR));
    await assert.rejects(eos.initProducerId(), /not the correct coordinator/);
    await eos.initProducerId();
    assert.deepEqual(lookups.slice(4), ['tx'], 'InitProducerId forgets a moved coordinator too');
  });

  it('retries a transaction’s first request for a few milliseconds while the last commit completes', async () => {
    const { eos, lookups, sent, fail, transaction } = producerOverFakeCluster();
    await eos.initProducerId();
    const completing = () => createErrorFromCode(CONCURRENT_TRANSACTIONS);
    fail('addPartitionsToTxn', completing(), completing());
    fail('addOffsetsToTxn', completing());
    await transaction();
    assert.equal(sent.filter((name) => name === 'addPartitionsToTxn').length, 3);
    assert.equal(sent.filter((name) => name === 'addOffsetsToTxn').length, 2);
    assert.deepEqual(lookups, ['tx', 'group'], 'the coordinator answered: it still is one');
    fail('addPartitionsToTxn', ...Array.from({ length: 6 }, completing));
    await assert.rejects(
      transaction(),
      { type: 'CONCURRENT_TRANSACTIONS' },
      'after five retries the error goes to the producer, as before',
    );
    assert.equal(sent.filter((name) => name === 'addPartitionsToTxn').length, 3 + 6);
  });
});
