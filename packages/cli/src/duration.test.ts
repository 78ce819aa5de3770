import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { formatDuration, parseDuration } from './duration.js';
import { CliError } from './errors.js';

function rejects(spec: string): CliError {
  try {
    parseDuration(spec);
  } catch (error) {
    assert.ok(error instanceof CliError, `${spec}: ${String(error)}`);
    return error;
  }
  assert.fail(`${JSON.stringify(spec)} was accepted`);
}

describe('parseDuration', () => {
  it('reads a number and a unit, in whole milliseconds', () => {
    const cases: [string, number][] = [
      ['500ms', 500],
      ['1.5s', 1500],
      ['2s', 2000],
      ['.25s', 250],
      ['1.5m', 90_000],
      ['2min', 120_000],
      ['3h', 10_800_000],
      ['7d', 604_800_000],
      ['1h30m', 5_400_000],
      ['1m0.5s', 60_500],
      [' 2s ', 2000],
      ['0', 0],
      ['0s', 0],
      ['0.4ms', 0],
      ['1.6ms', 2],
    ];
    for (const [spec, ms] of cases) assert.equal(parseDuration(spec), ms, spec);
  });

  it('rejects what is not a duration, naming the input', () => {
    for (const spec of [
      '',
      ' ',
      '500',
      '1',
      '-1s',
      '1x',
      's',
      '1s2',
      '1.2.3s',
      'abc',
      '1 s',
      '2S',
    ]) {
      const error = rejects(spec);
      assert.equal(error.code, 'DW_CLI_BAD_DURATION');
      assert.equal(error.input, spec);
      assert.ok(error.message.includes(JSON.stringify(spec)), error.message);
    }
  });

  it('rejects durations too long to count in milliseconds', () => {
    assert.equal(rejects('1e400d').code, 'DW_CLI_BAD_DURATION');
    assert.equal(rejects('99999999999999999d').code, 'DW_CLI_BAD_DURATION');
  });
});

describe('formatDuration', () => {
  it('writes units from the largest that fits down, seconds with up to one decimal', () => {
    assert.equal(formatDuration(0), '0ms');
    assert.equal(formatDuration(999), '999ms');
    assert.equal(formatDuration(1000), '1s');
    assert.equal(formatDuration(1234), '1.2s');
    assert.equal(formatDuration(90_000), '1m30s');
    assert.equal(formatDuration(5_400_000), '1h30m');
    assert.equal(formatDuration(172_800_000), '2d');
    assert.equal(formatDuration(400 * 86_400_000), '400d');
  });

  it('reads back as the same duration to the tenth of a second', () => {
    for (const ms of [
      500,
      2000,
      61_500,
      90_000,
      3_600_000,
      5_400_000,
      604_800_000,
      400 * 86_400_000,
    ]) {
      assert.equal(parseDuration(formatDuration(ms)), ms);
    }
  });
});
