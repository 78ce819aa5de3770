import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Partitioners } from './kafka.js';
import { createKeyPartitioner, murmur2 } from './key-partitioner.js';

const partitionMetadata = (count: number, leaderless: readonly number[] = []) =>
  Array.from({ length: count }, (_, partitionId) => ({
    partitionId,
    leader: leaderless.includes(partitionId) ? -1 : 0,
    partitionErrorCode: 0,
    replicas: [0],
    isr: [0],
  }));

/** A seeded stream of keys of every length from 0 to 70, ASCII and not. */
function* keys(count: number): Generator<string> {
  let state = 7;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789-_:é€😀\u0000\u007f\u0080';
  for (let i = 0; i < count; i++) {
    let key = '';
    for (let length = i % 71; key.length < length;)
      key += alphabet.charAt(next() % alphabet.length);
    yield key;
  }
}

describe('createKeyPartitioner', () => {
  it('puts every key where kafkajs’s default (Java-compatible) partitioner puts it', () => {
    const ours = createKeyPartitioner();
    const theirs = Partitioners.DefaultPartitioner();
    let compared = 0;
    for (const partitions of [1, 3, 7, 64]) {
      const metadata = partitionMetadata(partitions);
      for (const key of keys(2_000)) {
        for (const asKey of [key, Buffer.from(key)]) {
          const message = { key: asKey, value: 'v' };
          const expected = theirs({ topic: 't', partitionMetadata: metadata, message });
          assert.equal(ours({ topic: 't', partitionMetadata: metadata, message }), expected, key);
          compared++;
        }
      }
    }
    assert.equal(compared, 16_000);
    // From JavaScript a key can be anything; it is hashed as its text, as kafkajs does.
    const metadata = partitionMetadata(7);
    for (const key of [42, -1.5, true]) {
      const message = { key: key as unknown as string, value: 'v' };
      assert.equal(
        ours({ topic: 't', partitionMetadata: metadata, message }),
        theirs({ topic: 't', partitionMetadata: metadata, message }),
      );
    }
  });

  it('gives the hashes the Java client gives', () => {
    // Kafka's own UtilsTest.testMurmur2 vectors (clients/src/test/.../UtilsTest.java).
    const vectors: [string, number][] = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    for (const [key, hash] of vectors) assert.equal(murmur2(key), hash, key);
  });

  it('hashes a key longer than its reused buffer like any other', () => {
    const long = 'k'.repeat(5_000);
    assert.equal(murmur2(long), murmur2(Buffer.from(long)));
    assert.notEqual(murmur2(long), murmur2('k'.repeat(4_999)));
  });

  it('keeps an explicit partition and a key’s partition through a leader election', () => {
    const partition = createKeyPartitioner();
    const healthy = partitionMetadata(3);
    const electing = partitionMetadata(3, [0, 1, 2]);
    assert.equal(
      partition({ topic: 't', partitionMetadata: healthy, message: { value: 'v', partition: 2 } }),
      2,
    );
    for (const key of keys(100)) {
      const message = { key, value: 'v' };
      assert.equal(
        partition({ topic: 't', partitionMetadata: electing, message }),
        partition({ topic: 't', partitionMetadata: healthy, message }),
      );
    }
  });

  it('spreads keyless messages over the partitions that have a leader, in turn', () => {
    const partition = createKeyPartitioner();
    const metadata = partitionMetadata(4, [1]);
    const chosen = Array.from({ length: 9 }, () =>
      partition({ topic: 't', partitionMetadata: metadata, message: { value: 'v' } }),
    );
    assert.deepEqual(new Set(chosen), new Set([0, 2, 3]));
    for (let i = 3; i < chosen.length; i++) assert.equal(chosen[i], chosen[i - 3]);
  });
});
