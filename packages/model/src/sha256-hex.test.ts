import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { sha256Hex } from './sha256-hex.js';

describe('sha256Hex', () => {
  it('matches the FIPS 180-2 test vectors', () => {
    assert.equal(
      sha256Hex(new Uint8Array(0)),
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    assert.equal(
      sha256Hex(
        new TextEncoder().encode('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'),
      ),
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('hashes a view, not its whole buffer', () => {
    const buffer = new TextEncoder().encode('xxabcxx');
    assert.equal(sha256Hex(buffer.subarray(2, 5)), sha256Hex(new TextEncoder().encode('abc')));
  });
});
