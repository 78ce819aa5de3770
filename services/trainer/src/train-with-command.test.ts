/**
 * The trainer with TRAINER_COMMAND, through trainForRequest, running real programs:
 * examples/sklearn-trainer/train.py in its pinned virtualenv, and programs that fail in each way
 * a user's can.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';

import { ModelRegistry } from '@driftwatch/bus';
import { loadVersionScorer, sha256Hex } from '@driftwatch/model';
import type { LabeledPrediction, ModelVersion, RetrainRequest } from '@driftwatch/topics';

import { irisChampion, irisWindow } from './testing/iris-retraining.js';
import { sklearnTrainerDir, sklearnTrainerPython } from './testing/sklearn-trainer-python.js';
import { trainForRequest, type TrainingPolicy, type VersionLedger } from './train-for-request.js';
import type { TrainingCommand } from './train-with-command.js';

const basePolicy: TrainingPolicy = {
  candidate: { family: 'logistic', training: {}, referenceBins: 10 },
  holdoutFraction: 0.2,
  minRows: 200,
  maxRows: 20_000,
  criteria: { metric: 'accuracy', minGain: 0.01, minHoldout: 100 },
};

const command = (argv: string[], timeoutMs = 120_000): TrainingCommand => ({
  argv,
  cwd: sklearnTrainerDir,
  timeoutMs,
  // One thread: reproducible sums, and polite on a shared machine.
  env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
});

function ledgerOf(...versions: ModelVersion[]): VersionLedger {
  const registry = new ModelRegistry();
  for (const version of versions) registry.apply(version);
  return {
    latestPromoted: (model) => registry.latestPromoted(model),
    highestVersionNumber: (model) => registry.highestVersionNumber(model),
    newestCreatedAt: (model) => {
      const times = registry.versions(model).map((v) => v.createdAt);
      return times.length > 0 ? Math.max(...times) : undefined;
    },
  };
}

const request: RetrainRequest = {
  requestId: 'r-iris-1',
  model: 'iris',
  reason: 'drift',
  alertId: 'a1',
  fromTs: 2000,
  toTs: 3000,
  requestedAt: 5_000,
};

describe('trainForRequest with a training command', () => {
  let champion: ModelVersion;
  /** The stream after the petals grew (rows 1000–1999): the champion is at 0.65 there. */
  let window: LabeledPrediction[];
  const train = (argv: string[], timeoutMs?: number) =>
    trainForRequest(request, {
      ledger: ledgerOf(champion),
      readWindow: () => Promise.resolve(window),
      policy: { ...basePolicy, command: command(argv, timeoutMs) },
      now: () => 9_999,
    });
  before(async () => {
    champion = await irisChampion();
    window = await irisWindow(champion, 1000, 2000);
  });

  it('retrains a multiclass model with examples/sklearn-trainer/train.py, with lineage and classes', async (t) => {
    const venv = await sklearnTrainerPython();
    if ('skip' in venv) {
      t.skip(venv.skip);
      return;
    }
    const outcome = await train([venv.python, 'train.py']);
    assert.ok(outcome.kind === 'published', outcome.kind === 'skipped' ? outcome.detail : '');
    const { version, command: report } = outcome;
    assert.equal(report?.verdict, 'usable', version.reason);
    const run = report.run;
    assert.ok(run);
    assert.equal(run.exitCode, 0);
    assert.match(
      run.stdout,
      /^trained iris \(request r-iris-1\): logistic regression on 800 rows, 4 features, 3 classes/,
    );
    // Lineage.
    assert.equal(version.version, 2);
    assert.equal(version.parentVersion, 1);
    assert.equal(version.requestId, 'r-iris-1');
    assert.deepEqual(version.trainingWindow, {
      fromTs: 2000,
      toTs: 3000,
      trainRows: 800,
      holdoutRows: 200,
    });
    // The model: the champion's features and classes, in their order, read as inference reads it.
    assert.deepEqual(version.featureNames, champion.featureNames);
    assert.deepEqual(version.classes, champion.classes);
    assert.equal(version.outputKind, null);
    assert.equal(version.sha256, sha256Hex(version.onnx));
    assert.deepEqual(
      version.reference.classProbabilities.map((distribution) => distribution.name),
      champion.classes,
    );
    const scorer = await loadVersionScorer(version);
    assert.deepEqual(scorer.classes, champion.classes);
    await scorer.release();
    // Compared with the champion on the same 200 holdout rows, under the same criteria.
    const challenger = version.metrics.challenger['accuracy'] ?? 0;
    const championAccuracy = version.metrics.champion?.['accuracy'] ?? 1;
    assert.equal(version.metrics.challenger['count'], 200);
    assert.equal(version.metrics.champion?.['count'], 200);
    assert.match(version.reason, /^drift request: accuracy \S+ vs champion \S+ /);
    assert.equal(version.status, challenger >= championAccuracy + 0.01 ? 'promoted' : 'rejected');
    assert.equal(version.status, 'promoted', version.reason);
  });

  it('a command that exits 1 is a rejected version quoting its stderr, carrying no model', async () => {
    const outcome = await train([
      'python3',
      '-c',
      "import sys; print('loading'); sys.stderr.write('Traceback (most recent call last):\\nValueError: boom\\n'); sys.exit(1)",
    ]);
    assert.ok(outcome.kind === 'published');
    const { version, command: report } = outcome;
    assert.equal(version.status, 'rejected');
    assert.match(
      version.reason,
      /^drift request: training command exited with code 1 after \S+s; stderr: Traceback \(most recent call last\):\nValueError: boom$/,
    );
    assert.equal(version.onnx.length, 0);
    assert.equal(version.sha256, sha256Hex(new Uint8Array(0)));
    assert.equal(version.parentVersion, 1);
    assert.equal(version.requestId, 'r-iris-1');
    assert.deepEqual(version.classes, champion.classes);
    assert.deepEqual(version.featureNames, champion.featureNames);
    assert.deepEqual(version.metrics, { challenger: {}, champion: null });
    assert.equal(report?.verdict, 'failed');
    assert.equal(report.run?.stdout, 'loading');
  });

  it('a command that outlives TRAINER_COMMAND_TIMEOUT is killed and rejected', async () => {
    const outcome = await train(['python3', '-c', 'import time; time.sleep(600)'], 1000);
    assert.ok(outcome.kind === 'published');
    assert.equal(outcome.version.status, 'rejected');
    assert.equal(
      outcome.version.reason,
      'drift request: training command timed out after 1s (TRAINER_COMMAND_TIMEOUT) and was killed',
    );
    assert.equal(outcome.command?.verdict, 'timed-out');
    assert.equal(outcome.command.run?.exitSignal, 'SIGKILL');
  });

  it('a command that writes no model, or not a model, is rejected saying so', async () => {
    const none = await train(['python3', '-c', "print('nothing to see')"]);
    assert.ok(none.kind === 'published');
    assert.match(
      none.version.reason,
      /^drift request: training command exited 0 after \S+ but wrote no model to DRIFTWATCH_OUTPUT_ONNX$/,
    );
    assert.equal(none.command?.verdict, 'no-model');
    const junk = await train([
      'python3',
      '-c',
      "import os, sys; open(os.environ['DRIFTWATCH_OUTPUT_ONNX'], 'w').write('not onnx'); sys.stderr.write('wrote it\\n')",
    ]);
    assert.ok(junk.kind === 'published');
    assert.match(
      junk.version.reason,
      /training command wrote an unusable model: not an ONNX file.*; stderr: wrote it$/,
    );
    assert.equal(junk.command?.verdict, 'unusable');
    assert.equal(junk.version.onnx.length, 0);
  });

  it('a program that cannot be started is rejected naming why', async () => {
    const outcome = await train([join(sklearnTrainerDir, 'no-such-trainer')]);
    assert.ok(outcome.kind === 'published');
    assert.match(outcome.version.reason, /training command could not be started: spawn \S+ ENOENT/);
    assert.equal(outcome.command?.verdict, 'not-started');
  });

  it('hands the program the rows and the documented variables', async () => {
    // The program checks what it was given and writes back a copy of the champion's model.
    const script = [
      'import csv, os, shutil, sys',
      "rows = list(csv.DictReader(open(os.environ['DRIFTWATCH_TRAIN_CSV'], newline='')))",
      "holdout = list(csv.DictReader(open(os.environ['DRIFTWATCH_HOLDOUT_CSV'], newline='')))",
      "assert os.environ['DRIFTWATCH_FEATURES'] == 'sepal_length,sepal_width,petal_length,petal_width', os.environ['DRIFTWATCH_FEATURES']",
      "assert os.environ['DRIFTWATCH_CLASSES'] == 'setosa,versicolor,virginica'",
      "assert os.environ['DRIFTWATCH_MODEL'] == 'iris' and os.environ['DRIFTWATCH_REQUEST_ID'] == 'r-iris-1'",
      'assert (len(rows), len(holdout)) == (800, 200), (len(rows), len(holdout))',
      "assert list(rows[0]) == os.environ['DRIFTWATCH_FEATURES'].split(',') + ['label']",
      "assert {r['label'] for r in rows} == {'setosa', 'versicolor', 'virginica'}",
      'assert os.getcwd() == sys.argv[2]',
      "shutil.copy(sys.argv[1], os.environ['DRIFTWATCH_OUTPUT_ONNX'])",
    ].join('\n');
    const fixture = join(
      sklearnTrainerDir,
      '..',
      '..',
      'test',
      'fixtures',
      'byom',
      'multiclass-iris.onnx',
    );
    const outcome = await train(['python3', '-c', script, fixture, sklearnTrainerDir]);
    assert.ok(outcome.kind === 'published');
    assert.equal(outcome.command?.verdict, 'usable', outcome.version.reason);
    // The champion's own bytes: no better than the champion on its holdout.
    assert.equal(outcome.version.sha256, champion.sha256);
    assert.equal(outcome.version.status, 'rejected');
    assert.match(outcome.version.reason, /accuracy (\S+) vs champion \1 \(\+0 < 0\.01\)/);
  });
});
