import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { CliError } from './errors.js';
import { checkLabelDelay, formatLabelDelay, parseLabelDelay } from './label-delay.js';

function rejection(spec: string): CliError {
  try {
    parseLabelDelay(spec);
  } catch (error) {
    assert.ok(error instanceof CliError, `${spec}: ${String(error)}`);
    return error;
  }
  assert.fail(`${JSON.stringify(spec)} was accepted`);
}

describe('parseLabelDelay', () => {
  it('reads fixed, uniform and exponential delays', () => {
    assert.deepEqual(parseLabelDelay('2s'), { kind: 'fixed', ms: 2000 });
    assert.deepEqual(parseLabelDelay('500ms'), { kind: 'fixed', ms: 500 });
    assert.deepEqual(parseLabelDelay('0'), { kind: 'fixed', ms: 0 });
    assert.deepEqual(parseLabelDelay('fixed:1m'), { kind: 'fixed', ms: 60_000 });
    assert.deepEqual(parseLabelDelay('uniform:1s-5s'), {
      kind: 'uniform',
      minMs: 1000,
      maxMs: 5000,
    });
    assert.deepEqual(parseLabelDelay('uniform:2s-2s'), {
      kind: 'uniform',
      minMs: 2000,
      maxMs: 2000,
    });
    assert.deepEqual(parseLabelDelay('UNIFORM:0-500ms'), { kind: 'uniform', minMs: 0, maxMs: 500 });
    assert.deepEqual(parseLabelDelay('exp:2s'), { kind: 'exponential', meanMs: 2000 });
    assert.deepEqual(parseLabelDelay('exponential:1.5s'), { kind: 'exponential', meanMs: 1500 });
  });

  it('rejects bad specs with the reason and the input', () => {
    const cases: [string, string][] = [
      ['', 'is not a duration'],
      ['2', 'is not a duration'],
      ['soon', 'is not a duration'],
      ['uniform:1s', 'uniform needs <min>-<max>'],
      ['uniform:5s-1s', 'the minimum (5s) is above the maximum (1s)'],
      ['uniform:1s-', 'is not a duration'],
      ['uniform:-1s-2s', 'is not a duration'],
      ['exp:0', 'the mean must be > 0'],
      ['exp:', 'is not a duration'],
      ['poisson:2s', 'unknown kind "poisson"'],
    ];
    for (const [spec, reason] of cases) {
      const error = rejection(spec);
      assert.equal(error.code, 'DW_CLI_BAD_LABEL_DELAY', spec);
      assert.equal(error.input, spec);
      assert.ok(
        error.message.startsWith(`${JSON.stringify(spec)} is not a label delay`),
        error.message,
      );
      assert.ok(error.message.includes(reason), `${spec}: ${error.message}`);
    }
  });
});

describe('checkLabelDelay', () => {
  it('passes valid delays through and rejects invalid objects', () => {
    const valid = { kind: 'uniform', minMs: 10, maxMs: 20 } as const;
    assert.equal(checkLabelDelay(valid), valid);
    assert.throws(() => checkLabelDelay({ kind: 'fixed', ms: -1 }), {
      code: 'DW_CLI_BAD_LABEL_DELAY',
    });
    assert.throws(() => checkLabelDelay({ kind: 'fixed', ms: NaN }), {
      code: 'DW_CLI_BAD_LABEL_DELAY',
    });
    assert.throws(() => checkLabelDelay({ kind: 'exponential', meanMs: Infinity }), {
      code: 'DW_CLI_BAD_LABEL_DELAY',
    });
  });
});

describe('formatLabelDelay', () => {
  it('describes each kind', () => {
    assert.equal(formatLabelDelay(parseLabelDelay('2s')), '2s');
    assert.equal(formatLabelDelay(parseLabelDelay('uniform:1s-5s')), 'uniform 1s–5s');
    assert.equal(formatLabelDelay(parseLabelDelay('exp:500ms')), 'exponential, mean 500ms');
  });
});
