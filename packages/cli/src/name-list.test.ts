import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { parseNameList } from './name-list.js';

describe('parseNameList', () => {
  it('splits on commas and drops the spaces around each name', () => {
    assert.deepEqual(parseNameList('a'), ['a']);
    assert.deepEqual(parseNameList('sepal length, petal_width ,x'), [
      'sepal length',
      'petal_width',
      'x',
    ]);
  });

  it('refuses an empty name or a repeated one, naming the text', () => {
    for (const [spec, message] of [
      ['', '"": expected names separated by commas, with none empty'],
      ['a,,b', '"a,,b": expected names separated by commas, with none empty'],
      ['a,b,', '"a,b,": expected names separated by commas, with none empty'],
      ['a,b,a', '"a,b,a": names a twice'],
    ] as const) {
      assert.throws(() => parseNameList(spec), { code: 'DW_CLI_BAD_OPTION', message, input: spec });
    }
  });
});
