import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { calibrateVersionAlarms } from '@driftwatch/alarms';
import { alarmSettingsOf, detectorEnv, detectorOptions } from '@driftwatch/detector';
import { exportOnnx, loadVersionScorer } from '@driftwatch/model';
import { parseEnv } from '@driftwatch/service-kit';
import {
  embeddingColumns,
  modelVersionSchema,
  versionEmbeddingLength,
  type AlarmSettings,
} from '@driftwatch/topics';

import { buildRegistration, type RegistrationOptions } from './build-registration.js';
import { CliError, type CliErrorCode } from './errors.js';

const byom = new URL('../../../test/fixtures/byom/', import.meta.url);
const fixture = (file: string): string => new URL(file, byom).pathname;

interface BadInput {
  file: string;
  pairWith: string;
  features?: string[];
  cell?: { value: string; column: string; dataRow: number; line: number };
  missingColumn?: string;
  unknownClass?: string;
  dataRow?: number;
  modelClasses?: string[];
}
const badInputs = new Map(
  (
    JSON.parse(readFileSync(new URL('bad-inputs.json', byom), 'utf8')) as { badInputs: BadInput[] }
  ).badInputs.map((entry) => [entry.file, entry]),
);
const bad = (file: string): BadInput => {
  const entry = badInputs.get(file);
  assert.ok(entry, `${file} is not in bad-inputs.json`);
  return entry;
};

const register = (
  model: string,
  onnx: string,
  reference: string,
  options: Partial<RegistrationOptions> = {},
) =>
  buildRegistration({
    model,
    onnx: fixture(onnx),
    reference: fixture(reference),
    labelColumn: 'label',
    createdAt: 1_717_200_000_000,
    ...options,
  });

/** Asserts the one-line refusal, its code and its exact message. */
function refusal(code: CliErrorCode, message: string | RegExp): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof CliError, String(error));
    assert.equal(error.code, code, error.message);
    assert.ok(!error.message.includes('\n'), `message spans lines: ${error.message}`);
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  };
}

describe('buildRegistration', () => {
  describe('a golden set (--golden)', () => {
    it("keeps its rows in the model's input order and its labels as class indices", async () => {
      const { version } = await register(
        'sensor',
        'binary-logit.onnx',
        'binary-logit.reference.csv',
        { golden: fixture('binary-logit.stream.csv') },
      );
      const golden = version.goldenSet;
      assert.ok(golden);
      assert.equal(golden.rows.length, 2000);
      assert.deepEqual(golden.rows[0], [-0.1156, 2.1492, -0.7496, 0.3531]);
      assert.equal(golden.labels[0], 0);
      assert.ok(golden.labels.every((label) => label === 0 || label === 1));
      assert.deepEqual(
        modelVersionSchema.parse({ ...version, version: 1, parentVersion: null }).goldenSet,
        golden,
      );
      const without = await register('sensor', 'binary-logit.onnx', 'binary-logit.reference.csv');
      assert.equal(without.version.goldenSet, undefined);
    });

    it('refuses one whose label names no class of the model, saying it is the golden set', async () => {
      await assert.rejects(
        register('iris', 'multiclass-iris.onnx', 'multiclass-iris.reference.csv', {
          golden: fixture('bad-unknown-class.reference.csv'),
        }),
        refusal(
          'DW_CLI_BAD_OPTION',
          /^--golden: .*class "daisy" is not one of the model's classes/,
        ),
      );
    });
  });

  describe('a model it can read', () => {
    it('multiclass-iris: header features, the model’s classes, a profile per class, metrics on every row', async () => {
      const { version, interpretation, referenceRows, labeledRows, labelColumn } = await register(
        'iris',
        'multiclass-iris.onnx',
        'multiclass-iris.reference.csv',
      );
      assert.equal(interpretation.featureNamesSource, 'fallback');
      assert.equal(interpretation.classesSource, 'model');
      assert.deepEqual(version.featureNames, [
        'sepal_length',
        'sepal_width',
        'petal_length',
        'petal_width',
      ]);
      assert.deepEqual(version.classes, ['setosa', 'versicolor', 'virginica']);
      assert.equal(version.outputKind, null);
      assert.equal(
        version.sha256,
        '265ea0001c75c75760e0a6d6a40ae174d1e6a72e2157a42d83b8f0d136690603',
      );
      assert.equal(version.status, 'promoted');
      assert.equal(version.requestId, null);
      assert.equal(version.reason, 'registered: multiclass-iris.onnx');
      assert.deepEqual(version.trainingWindow, {
        fromTs: 1_717_200_000_000,
        toTs: 1_717_200_000_000,
        trainRows: 0,
        holdoutRows: 150,
      });
      assert.deepEqual([referenceRows, labeledRows, labelColumn], [150, 150, 'label']);
      assert.deepEqual(
        version.reference.features.map((f) => [f.name, f.sample.length]),
        version.featureNames.map((name) => [name, 150]),
      );
      assert.equal(version.reference.score, null);
      assert.deepEqual(
        version.reference.classProbabilities.map((c) => c.name),
        version.classes,
      );
      // scikit-learn's LogisticRegression on its own training data.
      assert.equal(version.metrics.challenger['count'], 150);
      assert.equal(version.metrics.challenger['classCount'], 3);
      assert.ok(version.metrics.challenger['accuracy']! > 0.95);
      assert.equal(version.metrics.champion, null);
      // What is published must be a model-version message.
      modelVersionSchema.parse({ ...version, version: 1, parentVersion: null });
    });

    it('binary-logreg-zipmap: features by input name, a binary score profile', async () => {
      const { version, interpretation } = await register(
        'churn',
        'binary-logreg-zipmap.onnx',
        'binary-logreg-zipmap.reference.csv',
        { note: 'from the notebook' },
      );
      assert.equal(interpretation.featureNamesSource, 'input-names');
      assert.equal(interpretation.output.kind, 'zipmap');
      assert.deepEqual(version.classes, ['0', '1']);
      assert.equal(version.outputKind, null);
      assert.equal(version.threshold, 0.5);
      assert.equal(version.reason, 'registered: from the notebook');
      assert.equal(version.reference.score?.name, 'score');
      assert.deepEqual(version.reference.classProbabilities, []);
      assert.equal(version.metrics.challenger['count'], 1000);
      assert.ok('rocAuc' in version.metrics.challenger);
    });

    it('pins how a single output reads, so a service reads it the same without reference rows', async () => {
      for (const [model, kind] of [
        ['binary-logit', 'logit'],
        ['binary-sigmoid', 'probability'],
      ] as const) {
        const { version } = await register(model, `${model}.onnx`, `${model}.reference.csv`);
        assert.equal(version.outputKind, kind, model);
        const scorer = await loadVersionScorer(version);
        try {
          assert.equal(scorer.interpretation.output.kind, kind);
          assert.equal(scorer.interpretation.output.kindSource, 'hint');
        } finally {
          await scorer.release();
        }
      }
    });

    it('measures a binary model at its threshold', async () => {
      const at = async (threshold: number) =>
        (
          await register('sensor', 'binary-logit.onnx', 'binary-logit.reference.csv', {
            threshold,
          })
        ).version;
      const [low, high] = [await at(0.2), await at(0.8)];
      assert.equal(low.threshold, 0.2);
      assert.ok(low.metrics.challenger['recall']! > high.metrics.challenger['recall']!);
      // The threshold moves predictions, not the probabilities: same ROC AUC, profile and
      // calibration; only what CBPE expects of the predictions moves with it.
      assert.equal(low.metrics.challenger['rocAuc'], high.metrics.challenger['rocAuc']);
      const { cbpe: lowCbpe, ...lowProfile } = low.reference;
      const { cbpe: highCbpe, ...highProfile } = high.reference;
      assert.deepEqual(lowProfile, highProfile);
      assert.equal(lowCbpe?.threshold, 0.2);
      assert.equal(highCbpe?.threshold, 0.8);
      assert.deepEqual(lowCbpe.calibrator, highCbpe.calibrator);
      assert.equal(
        lowCbpe.calibrationErrorBefore,
        low.metrics.challenger['calibrationErrorBefore'],
      );
    });

    it("calibrates every rule to the detectors' false-alarm budget when given their settings, as the trainer does", async () => {
      const settings = alarmSettingsOf(
        detectorOptions(parseEnv(detectorEnv, { DETECTOR_FALSE_ALARM_EVERY: '20000' })),
      );
      assert.ok(settings);
      const registered = (alarmSettings: AlarmSettings | null) =>
        register('sensor', 'binary-logit.onnx', 'binary-logit.reference.csv', { alarmSettings });
      const { version } = await registered(settings);
      assert.deepEqual(version.alarmCalibration, calibrateVersionAlarms(version, settings));
      assert.deepEqual(version.alarmCalibration.settings, settings);
      assert.ok(version.alarmCalibration.concept, 'the labeled rows measured an accuracy');
      assert.ok(version.alarmCalibration.data.cbpe, 'a binary version gets a CBPE floor');
      assert.doesNotThrow(() =>
        modelVersionSchema.parse({ ...version, version: 1, parentVersion: null }),
      );
      assert.equal((await registered(null)).version.alarmCalibration, undefined);
    });

    it('takes --features and --classes as given', async () => {
      const features = ['s1', 's2', 's3', 's4', 's5', 's6'];
      const { version, interpretation } = await register(
        'net',
        'softmax-net.onnx',
        'softmax-net.reference.csv',
        { features, classes: ['0', '1', '2'] },
      );
      assert.equal(interpretation.featureNamesSource, 'hint');
      assert.equal(interpretation.classesSource, 'hint');
      assert.deepEqual(version.featureNames, features);
    });
  });

  describe('a reference file without labels', () => {
    let dir: string;
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'register-'));
    });
    after(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('registers without metrics when the file has no label column', async () => {
      const path = join(dir, 'unlabeled.csv');
      const lines = readFileSync(fixture('binary-logit.reference.csv'), 'utf8').trim().split('\n');
      await writeFile(path, lines.map((line) => line.split(',').slice(0, 4).join(',')).join('\n'));
      const registration = await register('sensor', 'binary-logit.onnx', 'x', {
        reference: path,
      });
      assert.equal(registration.labelColumn, null);
      assert.equal(registration.labeledRows, 0);
      assert.equal(registration.referenceRows, 1000);
      assert.deepEqual(registration.version.metrics, { challenger: {}, champion: null });
      assert.notEqual(registration.version.reference.score, null);
    });

    it('measures only the rows whose label cell is filled', async () => {
      const path = join(dir, 'partly.csv');
      const lines = readFileSync(fixture('multiclass-iris.reference.csv'), 'utf8')
        .trim()
        .split('\n');
      // Every other row's label emptied.
      await writeFile(
        path,
        lines
          .map((line, i) => (i % 2 === 0 || i === 0 ? line : line.replace(/[^,]+$/, '')))
          .join('\n'),
      );
      const registration = await register('iris', 'multiclass-iris.onnx', 'x', { reference: path });
      assert.equal(registration.referenceRows, 150);
      assert.equal(registration.labeledRows, 75);
      assert.equal(registration.version.metrics.challenger['count'], 75);
    });
  });

  describe('refusals, each one line naming what is wrong (bad-inputs.json)', () => {
    it('not-a-model.onnx: not an ONNX file', async () => {
      const entry = bad('not-a-model.onnx');
      await assert.rejects(
        register('m', entry.file, entry.pairWith),
        refusal(
          'DW_CLI_MODEL_REFUSED',
          new RegExp(
            `^m not registered: ${fixture(entry.file)}: not an ONNX file: cannot decode a ModelProto \\(.+\\)$`,
          ),
        ),
      );
    });

    it('a file it cannot read at all', async () => {
      await assert.rejects(
        register('m', 'nonexistent.onnx', 'binary-forest.reference.csv'),
        refusal(
          'DW_CLI_MODEL_REFUSED',
          new RegExp(`^m not registered: cannot read ${fixture('nonexistent.onnx')}: ENOENT`),
        ),
      );
    });

    it('bad-regressor.onnx: an [N, 3] output whose values are not probabilities', async () => {
      const entry = bad('bad-regressor.onnx');
      await assert.rejects(
        register('m', entry.file, entry.pairWith, { features: entry.features! }),
        refusal(
          'DW_CLI_MODEL_REFUSED',
          new RegExp(
            `^m not registered: ${fixture(entry.file)}: cannot interpret the model's outputs: variable tensor\\(float\\) \\[\\?, 3\\] is shaped like \\[N, K\\] probabilities but its values are not probabilities: on 1000 reference rows they range from -9\\.649 to 8\\.008 .*; expected every row non-negative and summing to 1 ± 0\\.001$`,
          ),
        ),
      );
    });

    it('bad-two-outputs.onnx: names the outputs found and what was expected', async () => {
      const entry = bad('bad-two-outputs.onnx');
      await assert.rejects(
        register('m', entry.file, entry.pairWith, { features: entry.features! }),
        refusal(
          'DW_CLI_MODEL_REFUSED',
          `m not registered: ${fixture(entry.file)}: cannot interpret the model's outputs: 2 outputs (mean, variance) could each hold the probabilities; found mean tensor(float) [batch, 1], variance tensor(float) [batch, 1]; expected one probabilities tensor [N, K] with K ≥ 2, one ZipMap sequence of maps, or one [N, 1] probability or logit, beside at most a label tensor [N]`,
        ),
      );
    });

    it('bad-non-numeric.reference.csv: names the line, the data row and the column', async () => {
      const entry = bad('bad-non-numeric.reference.csv');
      const { cell } = entry;
      await assert.rejects(
        register('m', entry.pairWith, entry.file),
        refusal(
          'DW_CLI_MODEL_REFUSED',
          `m not registered: ${fixture(entry.file)} line ${cell!.line} (data row ${cell!.dataRow}), column ${cell!.column}: expected a number, got ${JSON.stringify(cell!.value)}`,
        ),
      );
    });

    it('bad-missing-column.reference.csv: the header’s features do not count the model’s inputs', async () => {
      const entry = bad('bad-missing-column.reference.csv');
      await assert.rejects(
        register('m', entry.pairWith, entry.file),
        refusal(
          'DW_CLI_MODEL_REFUSED',
          `m not registered: ${fixture(entry.pairWith)}: the model takes 8 features (float_input tensor(float) [?, 8]) but 7 fallback feature names were given: x1, x2, x3, x4, x5, x7, x8 (the fallback names are the reference file's columns other than its label and id; --features names the model's inputs in order)`,
        ),
      );
    });

    it('bad-missing-column.reference.csv with --features: names the missing column', async () => {
      const entry = bad('bad-missing-column.reference.csv');
      await assert.rejects(
        register('m', entry.pairWith, entry.file, {
          features: ['x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7', 'x8'],
        }),
        refusal(
          'DW_CLI_MODEL_REFUSED',
          `m not registered: ${fixture(entry.file)} line 1: no feature column "${entry.missingColumn}"; the header has x1, x2, x3, x4, x5, x7, x8, label`,
        ),
      );
    });

    it('bad-unknown-class.reference.csv: a label the model does not list', async () => {
      const entry = bad('bad-unknown-class.reference.csv');
      await assert.rejects(
        register('m', entry.pairWith, entry.file),
        refusal(
          'DW_CLI_MODEL_REFUSED',
          `m not registered: ${fixture(entry.file)} line ${entry.dataRow! + 1} (data row ${entry.dataRow}), column label: class "${entry.unknownClass}" is not one of the model's classes (${entry.modelClasses!.join(', ')})`,
        ),
      );
    });

    it('--features that do not count the model’s inputs, before the reference file is read', async () => {
      await assert.rejects(
        register('m', 'binary-forest.onnx', 'bad-non-numeric.reference.csv', {
          features: ['a', 'b'],
        }),
        refusal(
          'DW_CLI_MODEL_REFUSED',
          `m not registered: ${fixture('binary-forest.onnx')}: the model takes 8 features (float_input tensor(float) [?, 8]) but 2 feature names were given: a, b`,
        ),
      );
    });

    it('--classes that do not count the model’s probabilities', async () => {
      await assert.rejects(
        register('m', 'multiclass-iris.onnx', 'multiclass-iris.reference.csv', {
          classes: ['a', 'b'],
        }),
        refusal(
          'DW_CLI_MODEL_REFUSED',
          `m not registered: ${fixture('multiclass-iris.onnx')}: the model outputs 3 class probabilities (probabilities tensor(float) [?, 3]) but 2 classes were given: a, b`,
        ),
      );
    });

    it('integer labels a model without class names cannot match, with the way out', async () => {
      await assert.rejects(
        register('m', 'binary-logit.onnx', 'binary-logit.reference.csv', {
          classes: ['stay', 'churn'],
        }),
        refusal(
          'DW_CLI_MODEL_REFUSED',
          `m not registered: ${fixture('binary-logit.reference.csv')} line 2 (data row 1), column label: class "1" is not one of the model's classes (stay, churn)`,
        ),
      );
    });

    it('--threshold on a model with more than two classes', async () => {
      await assert.rejects(
        register('m', 'multiclass-iris.onnx', 'multiclass-iris.reference.csv', {
          threshold: 0.7,
        }),
        refusal(
          'DW_CLI_BAD_OPTION',
          'm not registered: --threshold is for binary models, and multiclass-iris.onnx has 3 classes (setosa, versicolor, virginica); it predicts the most probable',
        ),
      );
    });
  });

  describe('an embedding', () => {
    let dir: string;
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'dw-embedding-'));
    });
    after(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    /** A logistic model on `inputs` and a 400-row reference CSV of `columns` plus a label. */
    async function files(inputs: string[], columns: string[]): Promise<[string, string]> {
      const onnx = exportOnnx({
        family: 'logistic',
        featureNames: inputs,
        standardization: { mean: inputs.map(() => 0), scale: inputs.map(() => 1) },
        weights: inputs.map((_, j) => (j % 2 ? 1 : -1)),
        bias: 0,
      });
      const lines = Array.from({ length: 400 }, (_, i) =>
        [
          ...columns.map((_, j) => ((i % 4) + Math.abs(Math.sin(i * (j + 1))) + j).toFixed(4)),
          String(i % 2),
        ].join(','),
      );
      const [onnxPath, csvPath] = [join(dir, `${inputs.length}.onnx`), join(dir, 'reference.csv')];
      await writeFile(onnxPath, onnx);
      await writeFile(csvPath, [[...columns, 'label'].join(','), ...lines].join('\n'));
      return [onnxPath, csvPath];
    }

    it('a model that takes it: its inputs are binned but for the vector, which is clustered', async () => {
      const inputs = ['x1', ...embeddingColumns(4)];
      const [onnx, reference] = await files(inputs, inputs);
      const { version } = await buildRegistration({
        model: 'docs',
        onnx,
        reference,
        labelColumn: 'label',
        createdAt: 1,
      });
      assert.deepEqual(version.featureNames, inputs);
      assert.deepEqual(
        version.reference.features.map((distribution) => distribution.name),
        ['x1'],
      );
      assert.deepEqual(version.reference.multivariate?.features, embeddingColumns(4));
      const parsed = modelVersionSchema.parse({ ...version, version: 1, parentVersion: null });
      assert.equal(versionEmbeddingLength(parsed), 4);
    });

    it('--embedding-length: a vector the model does not take, watched from the reference file’s columns', async () => {
      const [onnx, reference] = await files(['x1', 'x2'], ['x1', 'x2', ...embeddingColumns(4)]);
      const { version } = await buildRegistration({
        model: 'docs',
        onnx,
        reference,
        labelColumn: 'label',
        embeddingLength: 4,
        createdAt: 1,
      });
      assert.deepEqual(version.featureNames, ['x1', 'x2']);
      assert.deepEqual(version.reference.multivariate?.features, embeddingColumns(4));
      await assert.rejects(
        buildRegistration({
          model: 'docs',
          onnx,
          reference,
          labelColumn: 'label',
          embeddingLength: 5,
          createdAt: 1,
        }),
        refusal('DW_CLI_MODEL_REFUSED', /embedding\[4\]/),
      );
      const [takes, takesReference] = await files(
        ['x1', ...embeddingColumns(2)],
        ['x1', ...embeddingColumns(2)],
      );
      await assert.rejects(
        buildRegistration({
          model: 'docs',
          onnx: takes,
          reference: takesReference,
          labelColumn: 'label',
          embeddingLength: 2,
          createdAt: 1,
        }),
        refusal(
          'DW_CLI_BAD_OPTION',
          'docs not registered: 3.onnx takes the embedding among its inputs; --embedding-length is for a vector the model does not take',
        ),
      );
    });
  });
});
