import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';

import { eventId } from '@driftwatch/datasets';

import { runCli, spawnCli } from '../testing/run-cli.js';
import { testDeployment, type TestDeployment } from '../testing/test-deployment.js';
import type { ReplayReport } from './replay.js';

const elec2Csv = '/work/shared/datasets/elec2.csv';

describe('driftwatch replay', () => {
  let deployment: TestDeployment;
  before(async () => {
    deployment = await testDeployment('replay-cli');
  });
  after(async () => {
    await deployment.cleanup();
  });

  it('replays a dataset into fresh topics and prints a JSON summary', async () => {
    const result = await runCli(
      [
        'replay',
        'sea-data-drift',
        '--length',
        '200',
        '--rate',
        'max',
        '--label-delay',
        'uniform:100ms-300ms',
        '--missing-labels',
        '0.2',
        '--duplicate-labels',
        '0.1',
        '--model',
        'fraud',
        '--id-prefix',
        'run1',
        '--json',
      ],
      deployment.env,
    );
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as ReplayReport;
    assert.equal(report.model, 'fraud');
    assert.equal(report.dataset, 'sea-data-drift');
    assert.equal(report.interrupted, false);
    assert.equal(report.rate, null);
    assert.deepEqual(report.labelDelay, { kind: 'uniform', minMs: 100, maxMs: 300 });
    assert.deepEqual(report.drifts, [100]);
    assert.equal(report.events, 200);
    assert.equal(report.labels, 200 - report.missingLabels + report.duplicateLabels);

    const events = await deployment.readTopic(deployment.names.events);
    const labels = await deployment.readTopic(deployment.names.labels);
    assert.equal(events.length, report.events);
    assert.equal(labels.length, report.labels);
    const ids = new Set(events.map((r) => r.key?.toString()));
    assert.ok(ids.has(eventId('run1', 0)) && ids.has(eventId('run1', 199)));
  });

  it('stops on Ctrl-C with what it sent flushed and reported (exit 130)', async () => {
    const interrupted = await testDeployment('replay-int');
    try {
      const child = spawnCli(
        ['replay', 'sea', '--rate', '200', '--length', '5000', '--json'],
        interrupted.env,
      );
      let stdout = '';
      child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      const exited = once(child, 'exit') as Promise<[number | null]>;
      // Wait until it is producing, then interrupt.
      const deadline = Date.now() + 30_000;
      while ((await interrupted.readTopic(interrupted.names.events).catch(() => [])).length < 20) {
        assert.ok(Date.now() < deadline, 'the replay did not start');
        await sleep(200);
      }
      child.kill('SIGINT');
      const [code] = await exited;
      assert.equal(code, 130);
      const report = JSON.parse(stdout) as ReplayReport;
      assert.equal(report.interrupted, true);
      assert.ok(report.events >= 20 && report.events < 5000, `${report.events} events`);
      assert.equal((await interrupted.readTopic(interrupted.names.events)).length, report.events);
      assert.equal((await interrupted.readTopic(interrupted.names.labels)).length, report.labels);
    } finally {
      await interrupted.cleanup();
    }
  });

  it('--max-lag holds the replay while the pipeline’s groups are behind, and goes on as they read', async () => {
    const held = await testDeployment('replay-lag');
    try {
      const child = spawnCli(
        ['replay', 'sea', '--rate', 'max', '--length', '400', '--max-lag', '50', '--json'],
        held.env,
      );
      let stdout = '';
      let stderr = '';
      child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = once(child, 'exit') as Promise<[number | null]>;
      // No service reads: the replay stops after about max-lag records for the busiest stage.
      const deadline = Date.now() + 60_000;
      while (!stderr.includes('holding back')) {
        assert.ok(Date.now() < deadline, `the replay did not hold back: ${stderr}`);
        await sleep(100);
      }
      assert.match(
        stderr,
        /replay: holding back: (inference|joiner|detector) has \d+ records to read/,
      );
      const sentWhileHeld = (await held.readTopic(held.names.events)).length;
      assert.ok(sentWhileHeld > 0 && sentWhileHeld <= 50 + 12, `${sentWhileHeld} events sent`);
      await sleep(500);
      assert.equal((await held.readTopic(held.names.events)).length, sentWhileHeld, 'still held');

      // Play the services: inference reads the events, the joiner the labels (the other topics
      // do not exist without services), committing as they go.
      const readers = [
        { group: 'inference', topic: held.names.events },
        { group: 'joiner', topic: held.names.labels },
      ].map(({ group, topic }) => ({
        consumer: held.kafka.consumer({ groupId: `${held.prefix}driftwatch-${group}` }),
        topic,
      }));
      try {
        for (const { consumer, topic } of readers) {
          await consumer.connect();
          await consumer.subscribe({ topic, fromBeginning: true });
          await consumer.run({ autoCommitInterval: 100, eachMessage: () => Promise.resolve() });
        }
        const [code] = await exited;
        assert.equal(code, 0, stderr);
      } finally {
        await Promise.all(readers.map(({ consumer }) => consumer.disconnect()));
      }
      const report = JSON.parse(stdout) as ReplayReport;
      assert.equal(report.events, 400);
      assert.ok(report.heldMs >= 500, `held ${report.heldMs} ms`);
    } finally {
      await held.cleanup();
    }
  });

  it('prints a one-line summary without --json', async () => {
    const result = await runCli(
      ['replay', 'sea', '--length', '10', '--rate', '0', '--label-delay', '0'],
      deployment.env,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stdout,
      new RegExp(
        `^replayed 10 events and 10 labels of sea as model sea to ${deployment.prefix.replace('.', '\\.')}events / .* \\(as fast as possible, labels after 0ms; ids sea-[0-9a-f]{6}-NNNNNN\\)\\n$`,
      ),
    );
  });

  it('refuses bad options with exit 2 and elec2 without its file with exit 1', async () => {
    const cases: [string[], RegExp][] = [
      [['replay', 'sea', '--missing-labels', '2'], /"2": a fraction must be in \[0, 1\]/],
      [['replay', 'sea', '--label-delay', 'soon'], /"soon" is not a label delay/],
      [['replay', 'sea', '--rate', '-5'], /the rate must be a positive number/],
      [['replay', 'sea', '--max-lag', '10'], /"10": must be at least 50/],
      [
        ['replay', 'iris'],
        /"iris" is neither a dataset \(sea, sea-classic, sea-data-drift, orientation, elec2\) nor a CSV file/,
      ],
      [['replay', 'sea', '--model', 'a/b'], /model name "a\/b" may hold only/],
      [['replay', 'sea', '--id-prefix', '-x'], /id prefix "-x" may hold only/],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args, deployment.env);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, message);
    }
    const elec2 = await runCli(['replay', 'elec2'], deployment.env);
    assert.equal(elec2.code, 1);
    assert.equal(
      elec2.stderr.trim(),
      'driftwatch: elec2 is not bundled: pass the path of its CSV with --file <csv> (the normalized elecNormNew file)',
    );
    const missing = await runCli(
      ['replay', 'elec2', '--file', '/nonexistent/elec2.csv'],
      deployment.env,
    );
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^driftwatch: .*\/nonexistent\/elec2\.csv/);
    assert.doesNotMatch(missing.stderr, /\n\s+at /, 'no stack trace');
  });

  it('replays a CSV, its ids from the id column, and says which columns it read', async () => {
    const csv = new URL(
      '../../../../test/fixtures/byom/multiclass-iris.stream.csv',
      import.meta.url,
    ).pathname;
    const result = await runCli(
      ['replay', csv, '--model', 'iris', '--length', '10', '--rate', '0', '--label-delay', '0'],
      deployment.env,
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stdout,
      new RegExp(
        `^replayed 10 events and 10 labels of ${csv} as model iris to .* \\(as fast as possible, labels after 0ms; ids from column id\\)\\n$`,
      ),
    );
    const json = await runCli(
      ['replay', csv, '--model', 'iris2', '--length', '3', '--rate', 'max', '--json'],
      deployment.env,
    );
    assert.equal(json.code, 0, json.stderr);
    const report = JSON.parse(json.stdout) as ReplayReport;
    assert.deepEqual(
      [report.dataset, report.file, report.idPrefix, report.drifts, report.events],
      [null, csv, null, null, 3],
    );
    assert.deepEqual(report.columns, {
      features: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'],
      label: 'label',
      id: 'id',
      time: null,
    });
  });

  it('refuses options that do not fit a CSV or a dataset, and a bad cell, before sending', async () => {
    const csv = new URL(
      '../../../../test/fixtures/byom/multiclass-iris.stream.csv',
      import.meta.url,
    ).pathname;
    const bad = new URL(
      '../../../../test/fixtures/byom/bad-non-numeric.reference.csv',
      import.meta.url,
    ).pathname;
    const cases: [string[], string][] = [
      [
        ['replay', csv],
        'driftwatch: --model <name> is required with a CSV: name the model the events of multiclass-iris.stream.csv are for',
      ],
      [
        ['replay', csv, '--model', 'iris', '--file', 'x.csv'],
        'driftwatch: --file is for elec2; a CSV is the argument',
      ],
      [
        ['replay', csv, '--model', 'iris', '--id-prefix', 'run2'],
        `driftwatch: --id-prefix names generated ids, but ${csv} has an id column (id): its ids are sent`,
      ],
      [
        ['replay', 'sea', '--time-column', 'ts'],
        'driftwatch: --time-column is for a CSV, not the dataset sea',
      ],
      [
        ['replay', bad, '--model', 'm'],
        `driftwatch: ${bad} line 38 (data row 37), column x3: expected a number, got "n/a"`,
      ],
      [
        ['replay', csv, '--model', 'iris', '--label-column', 'species'],
        `driftwatch: ${csv} line 1: no label column "species"; the header has id, sepal_length, sepal_width, petal_length, petal_width, label`,
      ],
    ];
    const quiet = await testDeployment('replay-refused');
    try {
      for (const [args, message] of cases) {
        const result = await runCli(args, quiet.env);
        assert.equal(result.code, 1, args.join(' '));
        assert.equal(result.stderr.trim(), message);
      }
      const admin = quiet.kafka.admin();
      await admin.connect();
      try {
        const topics = await admin.listTopics();
        assert.ok(!topics.includes(quiet.names.events), 'nothing was sent');
      } finally {
        await admin.disconnect();
      }
    } finally {
      await quiet.cleanup();
    }
  });

  it(
    'replays elec2 from its CSV',
    { skip: !existsSync(elec2Csv) && `${elec2Csv} is not here` },
    async () => {
      const elec2 = await testDeployment('replay-elec2');
      try {
        const result = await runCli(
          ['replay', 'elec2', '--file', elec2Csv, '--length', '50', '--rate', 'max', '--json'],
          elec2.env,
        );
        assert.equal(result.code, 0, result.stderr);
        const report = JSON.parse(result.stdout) as ReplayReport;
        assert.equal(report.events, 50);
        assert.equal(report.drifts, null);
        const [first] = await elec2.readTopic(elec2.names.events);
        const event = await elec2.codecs.events.decode(first?.value ?? null);
        assert.deepEqual(Object.keys(event.features).sort(), [
          'day',
          'nswdemand',
          'nswprice',
          'period',
          'transfer',
          'vicdemand',
          'vicprice',
        ]);
      } finally {
        await elec2.cleanup();
      }
    },
  );
});
