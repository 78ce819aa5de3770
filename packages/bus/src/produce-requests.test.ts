import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { produceRequests } from './produce-requests.js';

const message = (topic: string, index: number, bytes: number) => ({
  topic,
  key: `k${index}`,
  value: Buffer.alloc(bytes, index),
});

describe('produceRequests', () => {
  it('keeps every message, in order per topic, in requests under the byte limit', () => {
    const messages = Array.from({ length: 100 }, (_, i) => message(i % 3 === 0 ? 'a' : 'b', i, 98));
    const requests = produceRequests(messages, 1000);
    assert.ok(requests.length >= 10, `split into ${requests.length} requests`);
    for (const request of requests) {
      const bytes = request
        .flatMap((topic) => topic.messages)
        .reduce((sum, m) => sum + (m.value as Buffer).length + String(m.key).length, 0);
      assert.ok(bytes <= 1000, `request of ${bytes} bytes`);
    }
    for (const topic of ['a', 'b']) {
      const sent = requests.flatMap((request) =>
        request.filter((t) => t.topic === topic).flatMap((t) => t.messages.map((m) => m.key)),
      );
      assert.deepEqual(
        sent,
        messages.filter((m) => m.topic === topic).map((m) => m.key),
      );
    }
  });

  it('sends a message larger than the limit alone rather than never', () => {
    const requests = produceRequests(
      [message('a', 0, 10), message('a', 1, 5000), message('a', 2, 10)],
      1000,
    );
    assert.deepEqual(
      requests.map((request) => request.flatMap((t) => t.messages.map((m) => m.key))),
      [['k0'], ['k1'], ['k2']],
    );
  });

  it('makes no request for no output', () => {
    assert.deepEqual(produceRequests([]), []);
  });
});
