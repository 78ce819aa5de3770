import type { ICustomPartitioner } from './kafka.js';

/**
 * The partitioner every driftwatch producer uses: the Java client's default, so a record lands
 * where a Java, Go or kafkajs producer would put the same key, and a prediction and its label
 * (both keyed by the event's id) meet in the same partition.
 *
 * - An explicit `partition` wins.
 * - A key goes to `toPositive(murmur2(utf8(key))) % partitions`, over all partitions, available
 *   or not, as Java does, so a leader election never moves a key.
 * - No key: round robin over the partitions that have a leader.
 *
 * Why not kafkajs's `Partitioners.DefaultPartitioner`: it computes the same hash with a 64-bit
 * Long object per multiplication, encodes each string key into a new Buffer, and filters the
 * partition list for every message, keyed or not. That was about 5% of the inference service's
 * CPU. Math.imul is the 32-bit multiplication Java's int arithmetic does, and a string key is
 * encoded into one reused buffer, not a new one each; the tests check every answer against
 * kafkajs's own partitioner.
 */
export const createKeyPartitioner: ICustomPartitioner = () => {
  const roundRobin = new Map<string, number>();
  return ({ topic, partitionMetadata, message }) => {
    if (typeof message.partition === 'number') return message.partition;
    const { key } = message;
    if (key !== undefined && key !== null) {
      return toPositive(murmur2(key)) % partitionMetadata.length;
    }
    const available = partitionMetadata.filter(({ leader }) => leader >= 0);
    const candidates = available.length > 0 ? available : partitionMetadata;
    const next = (roundRobin.get(topic) ?? Math.floor(Math.random() * 0x7fffffff)) + 1;
    roundRobin.set(topic, next);
    return candidates[toPositive(next) % candidates.length]?.partitionId ?? 0;
  };
};

const SEED = 0x9747b28c;
const M = 0x5bd1e995;
/** Where a string key is encoded for hashing: keys are short, and this spares a Buffer each. */
const scratch = Buffer.allocUnsafe(1024);

/**
 * Kafka's murmur2 (org.apache.kafka.common.utils.Utils.murmur2): MurmurHash2, 32 bits, over the
 * key's UTF-8 bytes, as a signed 32-bit integer.
 */
export function murmur2(key: string | Buffer): number {
  if (Buffer.isBuffer(key)) return murmur2Bytes(key, key.length);
  // Typed as a string; from JavaScript, anything else is hashed as its text, as kafkajs does.
  const text = typeof key === 'string' ? key : String(key);
  const length = Buffer.byteLength(text, 'utf8');
  const data = length <= scratch.length ? scratch : Buffer.allocUnsafe(length);
  data.write(text, 0, 'utf8');
  return murmur2Bytes(data, length);
}

function murmur2Bytes(data: Buffer, length: number): number {
  let h = SEED ^ length;
  const tail = length & ~3;
  for (let i = 0; i < tail; i += 4) {
    let k = data.readInt32LE(i);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const rest = length & 3;
  if (rest > 0) {
    if (rest === 3) h ^= (data[tail + 2] ?? 0) << 16;
    if (rest >= 2) h ^= (data[tail + 1] ?? 0) << 8;
    h ^= data[tail] ?? 0;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h;
}

function toPositive(value: number): number {
  return value & 0x7fffffff;
}
