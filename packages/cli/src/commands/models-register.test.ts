import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { runCli } from '../testing/run-cli.js';
import { testDeployment, type TestDeployment } from '../testing/test-deployment.js';
import type { RegisterReport } from './models-register.js';

const byom = new URL('../../../../test/fixtures/byom/', import.meta.url);
const fixture = (file: string): string => new URL(file, byom).pathname;

// Reading the versions back from model-versions is test/integration/byom-cli.test.ts's; this is
// the command as a person runs it: its output, its exit codes, and that a refusal publishes nothing.
describe('driftwatch models register', () => {
  let deployment: TestDeployment;
  before(async () => {
    deployment = await testDeployment('register');
  });
  after(async () => {
    await deployment.cleanup();
  });

  it('refuses what it cannot read in one line, exit 1, publishing nothing', async () => {
    const result = await runCli(
      [
        'models',
        'register',
        'iris',
        '--onnx',
        fixture('multiclass-iris.onnx'),
        '--reference',
        fixture('bad-unknown-class.reference.csv'),
      ],
      deployment.env,
    );
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr,
      `driftwatch: iris not registered: ${fixture('bad-unknown-class.reference.csv')} line 121 (data row 120), column label: class "daisy" is not one of the model's classes (setosa, versicolor, virginica)\n`,
    );
    assert.equal(result.stdout, '');
    // Refused before Kafka was touched: not even the topic was created.
    const admin = deployment.kafka.admin();
    await admin.connect();
    try {
      assert.ok(!(await admin.listTopics()).includes(deployment.names.modelVersions));
    } finally {
      await admin.disconnect();
    }
  });

  it('says which feature names and classes it used, and numbers versions after the highest', async () => {
    const args = [
      'models',
      'register',
      'sensor',
      '--onnx',
      fixture('binary-logit.onnx'),
      '--reference',
      fixture('binary-logit.reference.csv'),
      '--threshold',
      '0.3',
    ];
    const first = await runCli(args, deployment.env);
    assert.equal(first.code, 0, first.stderr);
    const lines = first.stdout.trimEnd().split('\n');
    assert.equal(
      lines[0],
      `registered sensor v1 (promoted, serving; parent none) to ${deployment.names.modelVersions} — registered: binary-logit.onnx`,
    );
    assert.deepEqual(lines.slice(2, 5), [
      "  features   f1, f2, f3, f4 — from the reference file's header",
      '  classes    0, 1 — the model names none, so their indices (--classes names them)',
      '  output     logit: the logit of P(1), one value per row (by its name); pinned as outputKind logit',
    ]);
    assert.equal(lines[5], '  predicts   1 when its probability is ≥ 0.3, else 0');
    assert.match(
      lines[7] ?? '',
      /^ {2}metrics {4}on 1000 labeled rows \(column label\): accuracy 0\.\d{3}/,
    );

    const second = await runCli([...args, '--note', 'again', '--json'], deployment.env);
    assert.equal(second.code, 0, second.stderr);
    const report = JSON.parse(second.stdout) as RegisterReport;
    assert.deepEqual(
      [report.version, report.parentVersion, report.reason, report.featureNamesFrom],
      [2, 1, 'registered: again', 'reference-header'],
    );
    assert.deepEqual(
      [report.classesFrom, report.threshold, report.outputKind],
      ['default', 0.3, 'logit'],
    );

    const listed = await runCli(['models', 'sensor'], deployment.env);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(
      listed.stdout,
      /v2 promoted \(serving\) .* trained elsewhere, profiled on 1000 reference rows {2}— registered: again/,
    );
  });

  it('ends a usage error with exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['models', 'register', 'm', '--onnx', 'x.onnx'], /required option '--reference <csv>'/],
      [
        ['models', 'register', 'm', '--onnx', 'x', '--reference', 'y', '--threshold', '1'],
        /a threshold must be strictly between 0 and 1/,
      ],
      [
        ['models', 'register', 'm', '--onnx', 'x', '--reference', 'y', '--features', 'a,,b'],
        /"a,,b": expected names separated by commas, with none empty/,
      ],
      [['models', 'register', 'a/b', '--onnx', 'x', '--reference', 'y'], /model name "a\/b"/],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args, deployment.env);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
    }
  });
});
