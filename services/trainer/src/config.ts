import {
  ConfigError,
  commonEnv,
  mlflowEnv,
  decimal,
  duration,
  integer,
  oneOf,
  recordLimitsEnv,
  text,
  type EnvConfig,
} from '@driftwatch/service-kit';

import { splitCommandLine } from './split-command-line.js';

/**
 * Refuses PROMOTION_STAGE=shadow under PROMOTION_MODE=manual: live evidence decides a shadow, a
 * person decides a candidate, and a challenger cannot wait for both.
 */
export function checkPromotion(config: EnvConfig<typeof trainerEnv>): void {
  if (config.PROMOTION_STAGE === 'shadow' && config.PROMOTION_MODE === 'manual') {
    throw new ConfigError([
      {
        variable: 'PROMOTION_STAGE',
        problem:
          'shadow promotes on live evidence, PROMOTION_MODE=manual on a person: choose one (a person can still `driftwatch promote` a shadow)',
      },
    ]);
  }
}

/** Every environment variable the trainer service reads, with its default. */
export const trainerEnv = {
  ...commonEnv,
  ...recordLimitsEnv,
  /** Default: `<TOPIC_PREFIX>driftwatch-trainer`. */
  TRAINER_GROUP_ID: text(''),
  /**
   * The user's training program, e.g. `.venv/bin/python train.py`: split into words as a shell
   * would, then run without one (see `splitCommandLine`). Empty: the built-in family trains.
   */
  TRAINER_COMMAND: text('').transform((line, context) => {
    const split = splitCommandLine(line);
    if (split.ok) return split.argv;
    context.addIssue({ code: 'custom', message: split.problem });
    return [];
  }),
  /** How long one run of TRAINER_COMMAND may take before its process group is killed. */
  TRAINER_COMMAND_TIMEOUT: duration('30m', { minMs: 1000, maxMs: 7 * 86_400_000 }),
  /** The challenger's family: L2 logistic regression, or an MLP with one hidden layer. */
  TRAINER_MODEL_FAMILY: oneOf(['logistic', 'mlp'], 'logistic'),
  /** Seeds the MLP's initial weights and shuffles: the same request on the same data trains the same bytes. */
  TRAINER_SEED: integer(42),
  /** L2 penalty per example (both families). */
  TRAINER_L2: decimal(1e-4, { min: 0 }),
  TRAINER_MLP_HIDDEN_UNITS: integer(16, { min: 1, max: 1024 }),
  TRAINER_MLP_EPOCHS: integer(30, { min: 1, max: 10_000 }),
  /** The most recent share of the window, held out to compare challenger and champion. */
  TRAINER_HOLDOUT_FRACTION: decimal(0.2, { min: 0.01, max: 0.9 }),
  /** Fewer labeled rows than this in the window: no training (logged and counted). */
  TRAINER_MIN_ROWS: integer(200, { min: 10 }),
  /** The most recent rows of the window that are used at most. */
  TRAINER_MAX_ROWS: integer(20_000, { min: 10 }),
  /**
   * The built-in family's candidate windows, in rows, tried besides the rows since the change and
   * chosen between on a validation slice before the holdout (comma-separated; empty: train on
   * the request's window only).
   */
  TRAINER_WINDOWS: text('2000,5000,10000,20000').transform((list, context) => {
    const sizes = list
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part.length > 0)
      .map(Number);
    if (sizes.some((size) => !Number.isSafeInteger(size) || size < 10)) {
      context.addIssue({
        code: 'custom',
        message: 'must be whole numbers of rows ≥ 10, e.g. 2000,5000',
      });
    }
    return sizes;
  }),
  /** How far before the change the candidate windows may reach back. */
  TRAINER_LOOKBACK: duration('7d', { minMs: 1000, maxMs: 365 * 86_400_000 }),
  /** PSI bins per feature in the new version's reference profile. */
  TRAINER_REFERENCE_BINS: integer(10, { min: 2, max: 1000 }),
  /**
   * How a binary version's holdout scores are calibrated for estimating its accuracy without
   * labels (CBPE): `isotonic` when NannyML's test says it helps, or Platt's `platt` sigmoid.
   */
  TRAINER_CALIBRATION: oneOf(['isotonic', 'platt'], 'isotonic'),
  /**
   * Folds of the training rows whose out-of-fold scores join the holdout's in that calibration:
   * the family trains this many more models per challenger for a sample as large as its window.
   * 0 calibrates on the holdout alone.
   */
  TRAINER_CALIBRATION_FOLDS: integer(5, { min: 0, max: 20 }),
  /** The holdout metric a challenger must improve to be promoted. */
  PROMOTION_METRIC: oneOf(['accuracy', 'f1', 'rocAuc', 'logLoss'], 'accuracy'),
  /** Least improvement of that metric over the champion. */
  PROMOTION_MIN_GAIN: decimal(0.01),
  /** Least holdout size to promote on. */
  PROMOTION_MIN_HOLDOUT: integer(100, { min: 1 }),
  /** When > 0, the challenger must also win McNemar's test at this level. */
  PROMOTION_MCNEMAR_ALPHA: decimal(0, { min: 0, max: 0.5 }),
  /**
   * `auto`: a challenger that meets the criteria is promoted and served. `manual`: it is published
   * as a `candidate`, never served until a person runs `driftwatch promote` (or `reject`).
   */
  PROMOTION_MODE: oneOf(['auto', 'manual'], 'auto'),
  /**
   * `serve`: a challenger that meets the criteria serves (or, under manual mode, waits for a
   * person). `shadow`: it goes on trial as a `shadow` instead — scored beside the serving version
   * on every event, never served — and the detector promotes or retires it on live labels by the
   * `SHADOW_*` rule, which the version carries.
   */
  PROMOTION_STAGE: oneOf(['serve', 'shadow'], 'serve'),
  /** A shadow's trial: labeled events, paired with the serving version's, before deciding. */
  SHADOW_MIN_LABELED: integer(1000, { min: 1 }),
  /** Least live accuracy gain over the serving version to promote a shadow. */
  SHADOW_MIN_GAIN: decimal(0.01, { min: -1, max: 1 }),
  /** When > 0, a shadow must also win McNemar's test on the paired live outcomes at this level. */
  SHADOW_MCNEMAR_ALPHA: decimal(0, { min: 0, max: 0.5 }),
  /**
   * An MLflow tracking server (`http://host:5000`): every model version is logged there as a
   * run, nested under its parent's, and the registered model's `champion` alias follows the
   * serving version. Empty: off.
   */
  ...mlflowEnv,
  /** While MLflow is down or refusing, how often the sync tries again. */
  MLFLOW_RETRY_INTERVAL: duration('30s', { minMs: 100, maxMs: 3_600_000 }),
};
