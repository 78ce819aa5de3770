import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Adwin } from './adwin.js';
import { parameterForRunLength } from './parameter-for-run-length.js';
import { mulberry32 } from './random.js';

/** ADWIN alarming on a rise of the error rate, as the detector's concept monitor reads it. */
function adwinRises(delta: number): (error: 0 | 1) => boolean {
  const adwin = new Adwin({ delta });
  return (error) => {
    const before = adwin.estimation;
    return adwin.update(error) && adwin.estimation > before;
  };
}

describe('parameterForRunLength', () => {
  it('finds the ADWIN delta whose false alarms on a fresh error stream are spaced as asked', () => {
    const { parameter, expectedRunLength } = parameterForRunLength({
      create: adwinRises,
      errorRate: 0.15,
      low: 1e-6,
      high: 0.9,
      eventsPerAlarm: 10_000,
      events: 400_000,
      random: mulberry32(21),
    });
    assert.ok(
      parameter > 0.002,
      `ADWIN's default delta is far stricter than this budget: ${parameter}`,
    );
    assert.ok(
      Math.abs(Math.log(expectedRunLength / 10_000)) < Math.log(1.3),
      `${expectedRunLength}`,
    );
    const fires = adwinRises(parameter);
    const random = mulberry32(22);
    let alarms = 0;
    const events = 400_000;
    for (let i = 0; i < events; i++) if (fires(random() < 0.15 ? 1 : 0)) alarms++;
    const measured = events / alarms;
    assert.ok(Math.abs(Math.log(measured / 10_000)) < Math.log(1.5), `measured ${measured}`);
  });

  it('returns an end of the range when the target lies beyond it, with its own run length', () => {
    const never = () => () => false;
    const result = parameterForRunLength({
      create: never,
      errorRate: 0.5,
      low: 0.1,
      high: 1,
      eventsPerAlarm: 100,
      events: 1000,
      random: mulberry32(1),
    });
    assert.deepEqual(result, { parameter: 0.1, expectedRunLength: 1000, atLeast: true });
  });

  it('rejects a range whose high end is not above its low end', () => {
    assert.throws(
      () =>
        parameterForRunLength({
          create: adwinRises,
          errorRate: 0.1,
          low: 0.5,
          high: 0.5,
          eventsPerAlarm: 10,
          events: 10,
          random: mulberry32(1),
        }),
      { code: 'DW_DRIFT_INVALID_OPTION' },
    );
  });
});
