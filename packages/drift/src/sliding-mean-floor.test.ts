import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { mulberry32 } from './random.js';
import { slidingMeanFloorForRunLength } from './sliding-mean-floor.js';

describe('slidingMeanFloorForRunLength', () => {
  it('sets a floor whose alarms on a fresh stream are spaced as the target says', () => {
    const draw = (random: () => number) => (random() < 0.85 ? 1 : 0);
    const { threshold, expectedRunLength } = slidingMeanFloorForRunLength({
      draw,
      window: 500,
      rearmMargin: 0.02,
      eventsPerAlarm: 20_000,
      events: 1_000_000,
      random: mulberry32(11),
    });
    assert.ok(
      Math.abs(Math.log(expectedRunLength / 20_000)) < Math.log(1.3),
      `${expectedRunLength}`,
    );
    // Run the rule itself, as the detector runs it, on another stream.
    const random = mulberry32(12);
    const ring = new Uint8Array(500);
    let correct = 0;
    let armed = true;
    let alarms = 0;
    const events = 1_000_000;
    for (let i = 0; i < events; i++) {
      const value = draw(random);
      correct += value - (ring[i % 500] ?? 0);
      ring[i % 500] = value;
      if (i < 499) continue;
      const accuracy = correct / 500;
      if (armed && accuracy < threshold) {
        armed = false;
        alarms++;
      } else if (!armed && accuracy >= threshold + 0.02) armed = true;
    }
    const measured = events / alarms;
    assert.ok(Math.abs(Math.log(measured / 20_000)) < Math.log(1.5), `measured ${measured}`);
  });

  it('rejects fewer than two windows of events and a mean that never varies', () => {
    const common = { window: 100, rearmMargin: 0, eventsPerAlarm: 1000, random: mulberry32(1) };
    assert.throws(() => slidingMeanFloorForRunLength({ ...common, draw: () => 1, events: 150 }), {
      code: 'DW_DRIFT_INVALID_OPTION',
    });
    assert.throws(
      () => slidingMeanFloorForRunLength({ ...common, draw: () => 1, events: 10_000 }),
      { code: 'DW_DRIFT_INVALID_INPUT' },
    );
  });
});
