import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { TextTail } from './text-tail.js';

describe('TextTail', () => {
  it('keeps everything short, without the final line break', () => {
    const tail = new TextTail({ maxLines: 20, maxBytes: 2048 });
    tail.push(Buffer.from('train.py: no training rows for class virginica\n'));
    assert.equal(tail.text, 'train.py: no training rows for class virginica');
    assert.equal(tail.truncated, false);
  });

  it('is empty for no output', () => {
    const tail = new TextTail({ maxLines: 3, maxBytes: 10 });
    assert.equal(tail.text, '');
    assert.equal(tail.truncated, false);
  });

  it('keeps the last lines, however the stream was chunked', () => {
    const text = Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n') + '\n';
    for (const chunkSize of [1, 7, 64, text.length]) {
      const tail = new TextTail({ maxLines: 3, maxBytes: 2048 });
      for (let at = 0; at < text.length; at += chunkSize) {
        tail.push(Buffer.from(text.slice(at, at + chunkSize)));
      }
      assert.equal(tail.text, '…line 47\nline 48\nline 49', `chunks of ${chunkSize}`);
      assert.equal(tail.truncated, true);
    }
  });

  it('holds at most maxBytes of a flood, and never splits a character', () => {
    const tail = new TextTail({ maxLines: 1000, maxBytes: 100 });
    for (let i = 0; i < 10_000; i++) tail.push(Buffer.from(`é${i}\n`));
    assert.ok(Buffer.byteLength(tail.text) <= 100 + Buffer.byteLength('…'), tail.text);
    assert.ok(tail.text.endsWith('é9998\né9999'), tail.text);
    assert.ok(!tail.text.includes('\uFFFD'), 'no replacement character from a cut');
    assert.equal(tail.truncated, true);
  });

  it('refuses bounds that are not positive integers', () => {
    assert.throws(() => new TextTail({ maxLines: 0, maxBytes: 10 }), RangeError);
    assert.throws(() => new TextTail({ maxLines: 1, maxBytes: 1.5 }), RangeError);
  });
});
