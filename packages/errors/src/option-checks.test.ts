import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DriftwatchError } from './driftwatch-error.js';
import { optionChecks } from './option-checks.js';

class ExampleError extends DriftwatchError<'DW_EXAMPLE_INVALID_OPTION'> {
  override readonly name = 'ExampleError';
}
const option = optionChecks((message) => new ExampleError('DW_EXAMPLE_INVALID_OPTION', message));

describe('optionChecks', () => {
  it('returns what passes', () => {
    assert.equal(option.positiveInteger(3, 'window'), 3);
    assert.equal(option.nonNegativeInteger(0, 'grace'), 0);
    assert.equal(option.probability(1, 'fraction'), 1);
    assert.equal(option.inOpenInterval(0.002, 'delta', 0, 1), 0.002);
    assert.equal(option.oneOf('mlp', 'family', ['logistic', 'mlp']), 'mlp');
  });

  it("throws the package's own error naming the option, the need and the value", () => {
    assert.throws(
      () => option.positiveInteger(0, 'window'),
      (error: unknown) =>
        error instanceof ExampleError &&
        !error.retriable &&
        error.message === 'option window must be a positive integer, got 0',
    );
    assert.throws(() => option.finite(Number.NaN, 'x'), /must be a finite number, got NaN/);
    assert.throws(() => option.positiveFinite(0, 'x'), /> 0, got 0/);
    assert.throws(() => option.nonNegativeFinite(-1, 'x'), /≥ 0, got -1/);
    assert.throws(() => option.safeInteger(1.5, 'x'), /an integer, got 1.5/);
    assert.throws(() => option.nonNegativeInteger(-1, 'x'), /non-negative integer/);
    assert.throws(() => option.probability(1.01, 'x'), /in \[0, 1\]/);
    assert.throws(() => option.inOpenInterval(1, 'delta', 0, 1), /in \(0, 1\), got 1/);
    assert.throws(() => option.oneOf('svm', 'family', ['mlp']), /one of 'mlp', got "svm"/);
    assert.throws(() => option.positiveInteger('3', 'window'), /got "3"/);
  });
});

describe('DriftwatchError', () => {
  it('keeps code, cause and retriable apart', () => {
    const cause = new Error('socket closed');
    const error = new DriftwatchError('DW_EXAMPLE_DOWN', 'down', { retriable: true, cause });
    assert.equal(error.code, 'DW_EXAMPLE_DOWN');
    assert.equal(error.retriable, true);
    assert.equal(error.cause, cause);
    assert.equal(new DriftwatchError('DW_EXAMPLE_BAD', 'bad').retriable, false);
    assert.equal('cause' in new DriftwatchError('DW_EXAMPLE_BAD', 'bad'), false);
  });
});
