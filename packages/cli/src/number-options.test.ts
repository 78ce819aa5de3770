import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  parseFraction,
  parseInteger,
  parsePositions,
  parsePositiveInteger,
  parseRate,
  parseThreshold,
} from './number-options.js';

const badOption = { code: 'DW_CLI_BAD_OPTION' };

describe('number options', () => {
  it('parseRate: positive rates; 0 and max mean unlimited', () => {
    assert.equal(parseRate('1000'), 1000);
    assert.equal(parseRate('0.5'), 0.5);
    assert.equal(parseRate('0'), Infinity);
    assert.equal(parseRate('max'), Infinity);
    assert.equal(parseRate('MAX'), Infinity);
    for (const spec of ['', 'fast', '-1', '1e999', '0x10', '10/s']) {
      assert.throws(() => parseRate(spec), badOption, spec);
    }
  });

  it('parseThreshold: strictly between 0 and 1', () => {
    assert.equal(parseThreshold('0.3'), 0.3);
    assert.equal(parseThreshold('.5'), 0.5);
    for (const spec of ['0', '1', '1.5', '-0.1', '', 'half']) {
      assert.throws(() => parseThreshold(spec), badOption, spec);
    }
  });

  it('parsePositions: ascending whole numbers ≥ 0', () => {
    assert.deepEqual(parsePositions('5000'), [5000]);
    assert.deepEqual(parsePositions('0, 5000,12000'), [0, 5000, 12000]);
    for (const spec of ['', '5,', '-1', '1.5', '5,5', '9,3', 'a,b']) {
      assert.throws(() => parsePositions(spec), badOption, spec);
    }
  });

  it('parseFraction: [0, 1] only', () => {
    assert.equal(parseFraction('0'), 0);
    assert.equal(parseFraction('0.05'), 0.05);
    assert.equal(parseFraction('1'), 1);
    for (const spec of ['1.01', '-0.1', '10%', '', 'none']) {
      assert.throws(() => parseFraction(spec), badOption, spec);
    }
  });

  it('parsePositiveInteger and parseInteger: whole numbers', () => {
    assert.equal(parsePositiveInteger('300'), 300);
    assert.equal(parseInteger('-7'), -7);
    assert.equal(parseInteger('0'), 0);
    for (const spec of ['0', '-1', '1.5', '', 'ten']) {
      assert.throws(() => parsePositiveInteger(spec), badOption, spec);
    }
    for (const spec of ['1.5', '1e20', 'x'])
      assert.throws(() => parseInteger(spec), badOption, spec);
  });
});
