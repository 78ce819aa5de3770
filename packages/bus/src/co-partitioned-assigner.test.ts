import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { coPartitionedAssignment } from './co-partitioned-assigner.js';

describe('coPartitionedAssignment', () => {
  it('gives partition p of every topic to the same member, whatever order they come in', () => {
    const topics = new Map([
      ['features', [2, 0, 1, 3]],
      ['labeled', [0, 1, 2, 3]],
      ['predictions', [0, 1, 2, 3]],
    ]);
    const assignment = coPartitionedAssignment(['m-2', 'm-1', 'm-3'], topics);
    assert.deepEqual(assignment.get('m-1'), {
      features: [0, 3],
      labeled: [0, 3],
      predictions: [0, 3],
    });
    assert.deepEqual(assignment.get('m-2'), { features: [1], labeled: [1], predictions: [1] });
    assert.deepEqual(assignment.get('m-3'), { features: [2], labeled: [2], predictions: [2] });
    for (let p = 0; p < 4; p++) {
      const owners = [...assignment].filter(([, a]) => a['features']?.includes(p));
      assert.equal(owners.length, 1);
      assert.ok(owners[0]?.[1]['labeled']?.includes(p), `partition ${p} split`);
    }
  });

  it('leaves a member with nothing when there are more members than partitions', () => {
    const assignment = coPartitionedAssignment(['a', 'b', 'c'], new Map([['t', [0, 1]]]));
    assert.deepEqual(assignment.get('c'), {});
    assert.deepEqual(coPartitionedAssignment([], new Map([['t', [0]]])), new Map());
  });
});
