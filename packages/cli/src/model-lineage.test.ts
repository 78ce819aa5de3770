import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { lineageLines } from './model-lineage.js';

const describeVersion = (version: number): string => `(${version})`;

describe('lineageLines', () => {
  it('draws nested branches with the right continuation bars', () => {
    const versions = [
      { version: 1, parentVersion: null },
      { version: 2, parentVersion: 1 },
      { version: 3, parentVersion: 2 },
      { version: 4, parentVersion: 1 },
      { version: 5, parentVersion: 2 },
    ];
    assert.deepEqual(lineageLines(versions, describeVersion), [
      'v1 (1)',
      '├── v2 (2)',
      '│   ├── v3 (3)',
      '│   └── v5 (5)',
      '└── v4 (4)',
    ]);
  });

  it('starts a tree at a version whose parent is missing, in version order', () => {
    const versions = [
      { version: 7, parentVersion: 6 },
      { version: 2, parentVersion: null },
      { version: 8, parentVersion: 7 },
    ];
    assert.deepEqual(lineageLines(versions, describeVersion), ['v2 (2)', 'v7 (7)', '└── v8 (8)']);
  });

  it('draws every version once even when parents form a cycle', () => {
    const versions = [
      { version: 1, parentVersion: 2 },
      { version: 2, parentVersion: 1 },
      { version: 3, parentVersion: 3 },
    ];
    assert.deepEqual(lineageLines(versions, describeVersion), ['v3 (3)', 'v1 (1)', '└── v2 (2)']);
  });
});
