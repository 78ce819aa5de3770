import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DriftError } from './errors.js';

describe('DriftError', () => {
  it('carries a closed code, a name, a cause and retriable false', () => {
    const cause = new RangeError('underlying');
    const error = new DriftError('DW_DRIFT_INVALID_INPUT', 'value must be finite', { cause });
    assert.ok(error instanceof Error);
    assert.equal(error.name, 'DriftError');
    assert.equal(error.code, 'DW_DRIFT_INVALID_INPUT');
    assert.equal(error.message, 'value must be finite');
    assert.equal(error.cause, cause);
    assert.equal(error.retriable, false);
  });
});
