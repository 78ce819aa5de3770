import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { trafficBucket } from './traffic-bucket.js';

describe('trafficBucket', () => {
  it('sends 10% ± 1% of 20,000 events to a 10% arm, the same events every time', () => {
    for (const id of [(i: number) => `evt-${String(i).padStart(6, '0')}`, (i: number) => `${i}`]) {
      const ids = Array.from({ length: 20_000 }, (_, i) => id(i));
      const arm = ids.filter((eventId) => trafficBucket(eventId) < 0.1);
      assert.ok(Math.abs(arm.length / ids.length - 0.1) <= 0.01, `${arm.length} of 20,000`);
      assert.deepEqual(
        ids.filter((eventId) => trafficBucket(eventId) < 0.1),
        arm,
        'a replay splits the same way',
      );
      for (const eventId of ids.slice(0, 100)) {
        const bucket = trafficBucket(eventId);
        assert.ok(bucket >= 0 && bucket < 1);
      }
    }
  });
});
