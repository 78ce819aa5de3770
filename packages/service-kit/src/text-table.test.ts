import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { textTable } from './text-table.js';

describe('textTable', () => {
  it('pads each column to its widest cell, two spaces apart, with no trailing spaces', () => {
    assert.deepEqual(
      textTable([
        ['events', '3 partitions', '12 messages'],
        ['model-versions', 'missing'],
      ]),
      ['events          3 partitions  12 messages', 'model-versions  missing'],
    );
  });

  it('puts the head first and counts it in the widths', () => {
    assert.deepEqual(
      textTable(
        [
          ['sea', 'v2 *'],
          ['elec2', 'v1'],
        ],
        { head: ['model', 'version'] },
      ),
      ['model  version', 'sea    v2 *', 'elec2  v1'],
    );
  });

  it('is no lines for no rows and no head', () => {
    assert.deepEqual(textTable([]), []);
  });
});
