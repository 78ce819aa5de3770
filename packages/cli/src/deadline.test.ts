import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { withinDeadline } from './deadline.js';

/**
 * A read that never finishes, polling as a consumer would (AbortSignal.timeout's timer does not
 * keep a process alive; a consumer's socket does), until its signal stops it.
 */
function endlessRead(signal: AbortSignal, onStop: (reject: (reason: Error) => void) => void) {
  return new Promise<never>((_resolve, reject) => {
    const poll = setInterval(() => undefined, 5);
    signal.addEventListener('abort', () => {
      clearInterval(poll);
      onStop(reject);
    });
  });
}

describe('withinDeadline', () => {
  it("settles as the run does when it finishes in time, the run's own failure included", async () => {
    assert.equal(await withinDeadline(60_000, 'reading', () => Promise.resolve(7)), 7);
    await assert.rejects(
      withinDeadline(60_000, 'reading', () => Promise.reject(new Error('broker said no'))),
      /broker said no/,
    );
  });

  it('ends a run that never finishes with DW_CLI_TIMEOUT, and aborts the signal it gave it', async () => {
    let given: AbortSignal | undefined;
    await assert.rejects(
      withinDeadline(20, 'reading drift-alerts', (signal) => {
        given = signal;
        return endlessRead(signal, () => undefined);
      }),
      {
        code: 'DW_CLI_TIMEOUT',
        retriable: true,
        message: 'reading drift-alerts did not finish within 0.02 s',
      },
    );
    assert.equal(given?.aborted, true);
  });

  it('reports the timeout, not the reason a run stopped by its signal rejects with', async () => {
    await assert.rejects(
      withinDeadline(20, 'reading', (signal) =>
        endlessRead(signal, (reject) => {
          reject(signal.reason as Error);
        }),
      ),
      { code: 'DW_CLI_TIMEOUT' },
    );
  });
});
