import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { groupLag, unreadRecords } from './consumer-lag.js';

const marks = new Map([
  [
    'events',
    [
      { partition: 0, low: '0', high: '100' },
      { partition: 1, low: '10', high: '20' },
    ],
  ],
  ['labels', [{ partition: 0, low: '0', high: '7' }]],
]);

describe('groupLag', () => {
  it('sums high watermark minus committed offset over every committed partition', () => {
    const committed = [
      {
        topic: 'events',
        partitions: [
          { partition: 0, offset: '90' },
          { partition: 1, offset: '20' },
        ],
      },
      { topic: 'labels', partitions: [{ partition: 0, offset: '3' }] },
    ];
    assert.equal(groupLag(committed, marks), 10 + 0 + 4);
  });

  it('counts an uncommitted partition from its low watermark', () => {
    const committed = [
      {
        topic: 'events',
        partitions: [
          { partition: 0, offset: '100' },
          { partition: 1, offset: '-1' },
        ],
      },
    ];
    assert.equal(groupLag(committed, marks), 10);
  });

  it('is null for a group that never committed, and ignores unknown topics', () => {
    assert.equal(
      groupLag([{ topic: 'events', partitions: [{ partition: 0, offset: '-1' }] }], marks),
      null,
    );
    assert.equal(
      groupLag([{ topic: 'gone', partitions: [{ partition: 0, offset: '5' }] }], marks),
      null,
    );
    assert.equal(groupLag([], marks), null);
  });
});

describe('unreadRecords', () => {
  const committed = [{ topic: 'events', partitions: [{ partition: 0, offset: '90' }] }];
  it('counts a partition the group never committed from its low watermark', () => {
    assert.equal(unreadRecords('events', committed, marks.get('events') ?? []), 10 + 10);
  });
  it('counts a group that never ran as behind by everything', () => {
    assert.equal(unreadRecords('labels', committed, marks.get('labels') ?? []), 7);
  });
  it('counts nothing for a committed offset at or past the high watermark', () => {
    const done = [{ topic: 'labels', partitions: [{ partition: 0, offset: '7' }] }];
    assert.equal(unreadRecords('labels', done, marks.get('labels') ?? []), 0);
  });
});
