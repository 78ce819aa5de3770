/** What a training program is told about the run, each as one environment variable. */
export interface TrainingCommandInput {
  trainCsv: string;
  holdoutCsv: string;
  outputOnnx: string;
  model: string;
  /** In the model's input order. */
  featureNames: readonly string[];
  /** In the order of the probability output. */
  classes: readonly string[];
  requestId: string;
}

export type TrainingCommandEnv =
  { ok: true; env: Record<string, string> } | { ok: false; problem: string };

/**
 * The environment a training program runs with: the trainer's own (PATH, HOME, a virtualenv's
 * variables…) plus the `DRIFTWATCH_*` variables of examples/sklearn-trainer/README.md, which win
 * over any of the same name. Feature names and classes are comma-separated lists there, so a
 * name holding a comma cannot be passed: that is refused, naming it, rather than split wrongly.
 *
 * @example
 * ```ts
 * const input = {
 *   trainCsv: '/tmp/run/train.csv',
 *   holdoutCsv: '/tmp/run/holdout.csv',
 *   outputOnnx: '/tmp/run/model.onnx',
 *   model: 'iris',
 *   featureNames: ['petal_length', 'petal_width'],
 *   classes: ['setosa', 'versicolor', 'virginica'],
 *   requestId: 'r-7',
 * };
 * const built = trainingCommandEnv(input, { PATH: '/usr/bin' });
 * built.ok && built.env['DRIFTWATCH_CLASSES']; // => "setosa,versicolor,virginica"
 * trainingCommandEnv({ ...input, classes: ['a,b', 'c'] }, {}).ok; // => false
 * ```
 */
export function trainingCommandEnv(
  input: TrainingCommandInput,
  inherited: Readonly<Record<string, string | undefined>>,
): TrainingCommandEnv {
  for (const [variable, names] of [
    ['DRIFTWATCH_FEATURES', input.featureNames],
    ['DRIFTWATCH_CLASSES', input.classes],
  ] as const) {
    const withComma = names.find((name) => name.includes(','));
    if (withComma !== undefined) {
      return {
        ok: false,
        problem: `${JSON.stringify(withComma)} holds a comma, so ${variable} (a comma-separated list) cannot name it`,
      };
    }
  }
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(inherited)) {
    if (value !== undefined) env[name] = value;
  }
  Object.assign(env, {
    DRIFTWATCH_TRAIN_CSV: input.trainCsv,
    DRIFTWATCH_HOLDOUT_CSV: input.holdoutCsv,
    DRIFTWATCH_OUTPUT_ONNX: input.outputOnnx,
    DRIFTWATCH_MODEL: input.model,
    DRIFTWATCH_FEATURES: input.featureNames.join(','),
    DRIFTWATCH_CLASSES: input.classes.join(','),
    DRIFTWATCH_REQUEST_ID: input.requestId,
  });
  return { ok: true, env };
}
