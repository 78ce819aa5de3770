import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ConfigError, parseEnv } from '@driftwatch/service-kit';

import { checkPromotion, trainerEnv } from './config.js';

const problems = (env: Record<string, string>): string[] => {
  try {
    parseEnv(trainerEnv, env);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.problems.map((problem) => `${problem.variable}: ${problem.problem}`);
  }
  assert.fail('expected a ConfigError');
};

describe('trainerEnv', () => {
  it('trains with the built-in family by default, and gives a command 30 minutes', () => {
    const config = parseEnv(trainerEnv, {});
    assert.deepEqual(config.TRAINER_COMMAND, []);
    assert.equal(config.TRAINER_COMMAND_TIMEOUT, 30 * 60_000);
  });

  it('splits TRAINER_COMMAND into the program and its arguments, and reads the timeout', () => {
    const config = parseEnv(trainerEnv, {
      TRAINER_COMMAND: `.venv/bin/python "my trainer.py"`,
      TRAINER_COMMAND_TIMEOUT: '10m',
    });
    assert.deepEqual(config.TRAINER_COMMAND, ['.venv/bin/python', 'my trainer.py']);
    assert.equal(config.TRAINER_COMMAND_TIMEOUT, 600_000);
  });

  it('refuses at start a command line a shell would read differently, and a bad timeout', () => {
    assert.deepEqual(
      problems({ TRAINER_COMMAND: 'python train.py > log.txt', TRAINER_COMMAND_TIMEOUT: '10' }),
      [
        `TRAINER_COMMAND: is run without a shell, so an unquoted > would reach the program as an argument; quote it, or run a shell on purpose: sh -c '…' (got "python train.py > log.txt")`,
        'TRAINER_COMMAND_TIMEOUT: must be a duration: a number and a unit, like 500ms, 90s, 10m or 1h30m (got "10")',
      ],
    );
    assert.deepEqual(problems({ TRAINER_COMMAND_TIMEOUT: '500ms' }), [
      'TRAINER_COMMAND_TIMEOUT: must be between 1s and 7d (got "500ms")',
    ]);
  });

  it('reads a shadow trial rule, and refuses shadow stage under manual mode in one line', () => {
    const config = parseEnv(trainerEnv, {
      PROMOTION_STAGE: 'shadow',
      SHADOW_MIN_LABELED: '2000',
      SHADOW_MCNEMAR_ALPHA: '0.05',
    });
    assert.deepEqual(
      [config.SHADOW_MIN_LABELED, config.SHADOW_MIN_GAIN, config.SHADOW_MCNEMAR_ALPHA],
      [2000, 0.01, 0.05],
    );
    checkPromotion(config);
    assert.throws(
      () => {
        checkPromotion(
          parseEnv(trainerEnv, { PROMOTION_STAGE: 'shadow', PROMOTION_MODE: 'manual' }),
        );
      },
      (error: unknown) =>
        error instanceof ConfigError &&
        /^invalid configuration: PROMOTION_STAGE: shadow promotes on live evidence, PROMOTION_MODE=manual on a person: choose one/.test(
          error.message,
        ),
    );
  });
});
