import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { DriftAlert, RetrainRequest } from '@driftwatch/topics';

import { countDeliveries } from './delivery-count.js';
import { alertSignature, compareSignatures, requestSignature } from './detector-signatures.js';
import { medianAndMax, recoveryMs } from './recovery-times.js';
import { checkVersionOrder } from './version-order.js';

describe('countDeliveries', () => {
  it('finds lost, duplicated and unexpected ids', () => {
    assert.deepEqual(countDeliveries(['a', 'b', 'c'], ['a', 'a', 'c', 'x']), {
      expected: 3,
      delivered: 4,
      lost: ['b'],
      duplicated: 1,
      unexpected: ['x'],
      duplicateExamples: [{ id: 'a', copies: 2 }],
    });
  });

  it('counts every copy beyond the first', () => {
    const count = countDeliveries(['a'], ['a', 'a', 'a']);
    assert.equal(count.duplicated, 2);
    assert.deepEqual(count.lost, []);
  });
});

describe('checkVersionOrder', () => {
  it('passes versions that rise in each partition, whatever the partitions interleave', () => {
    const check = checkVersionOrder([
      { partition: 1, offset: '0', model: 'sea', version: 2 },
      { partition: 0, offset: '0', model: 'sea', version: 1 },
      { partition: 0, offset: '7', model: 'sea', version: 3 },
      { partition: 1, offset: '3', model: 'other', version: 1 },
    ]);
    assert.deepEqual(check, { backwards: [], reused: [] });
  });

  it('finds a version after a higher one, and a number used twice', () => {
    const check = checkVersionOrder([
      { partition: 0, offset: '10', model: 'sea', version: 1 },
      { partition: 0, offset: '9', model: 'sea', version: 2 },
      { partition: 2, offset: '0', model: 'sea', version: 2 },
    ]);
    assert.deepEqual(check.backwards, [
      { partition: 0, offset: '10', model: 'sea', version: 1, after: 2 },
    ]);
    assert.deepEqual(check.reused, [{ model: 'sea', version: 2, copies: 2 }]);
  });
});

const alert = (overrides: Partial<DriftAlert> = {}): DriftAlert => ({
  alertId: 'id-1',
  summary: '',
  expectedRunLength: null,
  model: 'sea',
  modelVersion: 1,
  kind: 'concept',
  detector: 'adwin',
  feature: null,
  statistic: 0.3,
  threshold: 0.002,
  windowStart: 100,
  windowEnd: 200,
  observedAt: 5,
  severity: 'warning',
  evidence: { topic: 'run-a.predictions-labeled', partition: 0, offset: '41' },
  ...overrides,
});

describe('alert and request signatures', () => {
  it('are equal for the same alert at the same position, whatever its id, offset and clock', () => {
    const a = alertSignature(alert(), 'run-a.', () => 17);
    const b = alertSignature(
      alert({
        alertId: 'id-2',
        observedAt: 99,
        evidence: { topic: 'run-b.predictions-labeled', partition: 0, offset: '20' },
      }),
      'run-b.',
      () => 17,
    );
    assert.equal(a, b);
    assert.notEqual(
      a,
      alertSignature(alert(), 'run-a.', () => 18),
    );
    assert.notEqual(
      a,
      alertSignature(alert({ statistic: 0.31 }), 'run-a.', () => 17),
    );
  });

  it('name a request by its alert, not by its id', () => {
    const request: RetrainRequest = {
      requestId: 'r1',
      model: 'sea',
      reason: 'drift',
      alertId: 'id-1',
      fromTs: 100,
      toTs: 300,
      requestedAt: 1,
    };
    const signatures = new Map([
      ['id-1', 'A'],
      ['id-2', 'A'],
    ]);
    assert.equal(
      requestSignature(request, signatures),
      requestSignature(
        { ...request, requestId: 'r2', alertId: 'id-2', requestedAt: 9 },
        signatures,
      ),
    );
  });

  it('compare as multisets: a second copy is extra, an absent one missing', () => {
    assert.deepEqual(compareSignatures(['a', 'b'], ['a', 'a']), { missing: ['b'], extra: ['a'] });
    assert.deepEqual(compareSignatures(['a', 'a'], ['a', 'a']), { missing: [], extra: [] });
  });
});

describe('recovery times', () => {
  const samples = [
    { at: 0, group: 'g', topic: 't', partition: 0, offset: 10n },
    { at: 500, group: 'g', topic: 't', partition: 1, offset: 4n },
    { at: 9000, group: 'g', topic: 't', partition: 0, offset: 25n },
    { at: 12_000, group: 'g', topic: 't', partition: 1, offset: 9n },
  ];

  it('is the time until the first owned partition moves past its offset at the kill', () => {
    const kill = {
      at: 1000,
      group: 'g',
      owned: [
        { topic: 't', partition: 0 },
        { topic: 't', partition: 1 },
      ],
    };
    assert.equal(recoveryMs(samples, kill), 8000);
  });

  it('ignores partitions the victim did not own, and is undefined when nothing moved', () => {
    assert.equal(
      recoveryMs(samples, { at: 1000, group: 'g', owned: [{ topic: 't', partition: 1 }] }),
      11_000,
    );
    assert.equal(
      recoveryMs(samples, { at: 13_000, group: 'g', owned: [{ topic: 't', partition: 0 }] }),
      undefined,
    );
    assert.equal(
      recoveryMs(samples, { at: 1000, group: 'other', owned: [{ topic: 't', partition: 0 }] }),
      undefined,
    );
  });

  it('summarises as median and maximum', () => {
    assert.deepEqual(medianAndMax([3, 1, 2]), { median: 2, max: 3 });
    assert.deepEqual(medianAndMax([4, 1, 2, 3]), { median: 2.5, max: 4 });
    assert.equal(medianAndMax([]), undefined);
  });
});
