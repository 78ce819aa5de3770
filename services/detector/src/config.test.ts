import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { parseEnv } from '@driftwatch/service-kit';

import { checkFalseAlarmBudget, detectorEnv } from './config.js';

const check = (env: Record<string, string>) => () => {
  checkFalseAlarmBudget(parseEnv(detectorEnv, env));
};

describe('DETECTOR_FALSE_ALARM_EVERY', () => {
  it('is one false alarm per million events by default, accepted with tumbling windows and room for 4 of them', () => {
    assert.equal(parseEnv(detectorEnv, {}).DETECTOR_FALSE_ALARM_EVERY, 1_000_000);
    assert.doesNotThrow(check({}));
    assert.doesNotThrow(
      check({ DETECTOR_FALSE_ALARM_EVERY: '0', DETECTOR_PSI_WINDOW_KIND: 'sliding' }),
    );
    assert.doesNotThrow(check({ DETECTOR_FALSE_ALARM_EVERY: '50000' }));
  });

  it('is refused, naming the variable, with sliding PSI windows', () => {
    assert.throws(
      check({ DETECTOR_FALSE_ALARM_EVERY: '50000', DETECTOR_PSI_WINDOW_KIND: 'sliding' }),
      /DETECTOR_FALSE_ALARM_EVERY: a false-alarm budget needs DETECTOR_PSI_WINDOW_KIND=tumbling, not sliding/,
    );
  });

  it('is refused when it leaves fewer than 4 windows or blocks per false alarm', () => {
    assert.throws(
      check({ DETECTOR_FALSE_ALARM_EVERY: '3000', DETECTOR_BLOCK_SIZE: '1000' }),
      /DETECTOR_FALSE_ALARM_EVERY: must be at least 4 windows .* \(4000\), got 3000/,
    );
  });
});
