import type { BenchPipeline } from './bench-pipeline.js';
import { PACE_MS } from './alert-latency.js';
import { paced } from './paced.js';

/**
 * What one service hop adds to an alert's latency beyond a fetch: the exactly-once commit of a
 * one-record batch (send, offsets, commit), one every PACE_MS, as a service commits each batch.
 * Its requests are counted too, because each is a broker round trip in the commit's critical
 * path: AddPartitionsToTxn, Produce, AddOffsetsToTxn, TxnOffsetCommit, EndTxn at the least.
 */
export async function transactionLatencies(
  pipeline: BenchPipeline,
  transactions: number,
): Promise<{ latencies: number[]; requestsPerTransaction: number }> {
  const [input, output] = await pipeline.createTopics(['bench-txn-input', 'bench-txn-output']);
  if (!input || !output) throw new Error('no transaction topics');
  const producer = pipeline.kafka.producer({
    transactionalId: `${pipeline.prefix}bench-txn`,
    idempotent: true,
    maxInFlightRequests: 1,
    transactionTimeout: 30_000,
  });
  let requests = 0;
  producer.on(producer.events.REQUEST, () => {
    requests += 1;
  });
  await producer.connect();
  const latencies: number[] = [];
  try {
    const commit = async (offset: number): Promise<void> => {
      const transaction = await producer.transaction();
      await transaction.send({ topic: output, messages: [{ value: String(offset) }] });
      await transaction.sendOffsets({
        consumerGroupId: `${pipeline.prefix}bench-txn-group`,
        topics: [{ topic: input, partitions: [{ partition: 0, offset: String(offset) }] }],
      });
      await transaction.commit();
    };
    // The first commit finds the coordinators and adds the output partition's metadata.
    await commit(0);
    requests = 0;
    await paced(PACE_MS, transactions, async (index) => {
      const started = performance.now();
      await commit(index + 1);
      latencies.push(performance.now() - started);
      return true;
    });
  } finally {
    await producer.disconnect();
  }
  return { latencies, requestsPerTransaction: requests / transactions };
}
