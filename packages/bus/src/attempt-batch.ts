import type { OutputMessage } from './records.js';
import type { BatchHandler, RecordBatch } from './transactional-processor.js';

/**
 * Hands a batch to a handler the way the processor does, without a broker: one attempt, whose
 * `afterCommit` effects run only when `commits` (the transaction committed) — so a test can
 * replay an attempt whose transaction failed and check nothing was counted twice.
 */
export async function attemptBatch(
  handle: BatchHandler,
  batch: RecordBatch,
  options: { commits?: boolean; signal?: AbortSignal } = {},
): Promise<OutputMessage[]> {
  const effects: (() => void)[] = [];
  const outputs = await handle(batch, {
    signal: options.signal ?? new AbortController().signal,
    afterCommit: (effect) => effects.push(effect),
    heartbeat: () => undefined,
  });
  if (options.commits ?? true) for (const effect of effects) effect();
  return outputs;
}
