import assert from 'node:assert/strict';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';

import type { DriftAlert } from '@driftwatch/topics';

import { jsonLines, runCli, spawnCli } from '../testing/run-cli.js';
import { testDeployment, type TestDeployment } from '../testing/test-deployment.js';
import { alertsTable, formatAlert } from './alerts.js';

function alert(alertId: string, model: string, fields: Partial<DriftAlert> = {}): DriftAlert {
  return {
    alertId,
    summary: '',
    expectedRunLength: null,
    model,
    modelVersion: 2,
    kind: 'data',
    detector: 'psi',
    feature: 'x1',
    statistic: 0.31234,
    threshold: 0.2,
    windowStart: 1_717_199_000_000,
    windowEnd: 1_717_200_000_000,
    observedAt: 1_717_200_000_000,
    severity: 'warning',
    evidence: null,
    ...fields,
  };
}

/** A concept-drift alert, critical, on a later version: every column differs from `alert`'s. */
const conceptAlert: Partial<DriftAlert> = {
  kind: 'concept',
  detector: 'adwin',
  feature: null,
  statistic: 0.25,
  threshold: 0.002,
  severity: 'critical',
  modelVersion: 13,
};

describe('formatAlert', () => {
  it('prints time, model and version, kind/detector, feature, statistic vs threshold, severity', () => {
    assert.equal(
      formatAlert(alert('a', 'sea')),
      '2024-06-01T00:00:00.000Z  sea v2      data/psi              x1          0.3123 vs 0.2  warning',
    );
    assert.equal(
      formatAlert(alert('b', 'elec2', conceptAlert)),
      '2024-06-01T00:00:00.000Z  elec2 v13   concept/adwin         -           0.25 vs 0.002  critical',
    );
  });

  it('ends with what happened in words, without the model and version it starts with', () => {
    const summary =
      'sea v2: the error rate rose from 10.2% over 2,816 labeled predictions to 31.0% over the last 190 (ADWIN, delta 0.002), since 2024-06-01T00:00:00.000Z';
    assert.equal(
      formatAlert(alert('a', 'sea', { summary })),
      `2024-06-01T00:00:00.000Z  sea v2      data/psi              x1          0.3123 vs 0.2  warning  ${summary.slice('sea v2: '.length)}`,
    );
  });
});

describe('alertsTable', () => {
  it('lines the columns up to the widest cell of each', () => {
    assert.deepEqual(
      alertsTable([alert('a', 'sea'), alert('b', 'electricity-prices', conceptAlert)]),
      [
        '2024-06-01T00:00:00.000Z  sea v2                  data/psi       x1  0.3123 vs 0.2  warning',
        '2024-06-01T00:00:00.000Z  electricity-prices v13  concept/adwin  -   0.25 vs 0.002  critical',
      ],
    );
  });
});

describe('driftwatch alerts', () => {
  let deployment: TestDeployment;
  const early = [
    alert('a1', 'sea'),
    alert('a2', 'elec2', { kind: 'concept', detector: 'adwin', feature: null }),
  ];
  const late = [alert('a3', 'sea', { severity: 'critical', statistic: 0.5 })];
  let between: number;

  const produce = async (alerts: DriftAlert[]): Promise<void> => {
    const producer = deployment.kafka.producer({
      transactionalId: `${deployment.prefix}detector-${alerts[0]?.alertId ?? ''}`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    try {
      // Transactional, as the detector writes: the topic ends with commit markers.
      const transaction = await producer.transaction();
      await transaction.send({
        topic: deployment.names.driftAlerts,
        messages: await Promise.all(
          alerts.map(async (a) => ({
            key: a.model,
            value: await deployment.codecs.driftAlerts.encode(a),
          })),
        ),
      });
      await transaction.commit();
    } finally {
      await producer.disconnect();
    }
  };

  before(async () => {
    deployment = await testDeployment('alerts');
    await deployment.provision(['driftAlerts']);
    await produce(early);
    await sleep(50);
    between = Date.now();
    await sleep(50);
    await produce(late);
  });
  after(async () => {
    await deployment.cleanup();
  });

  it('--json prints exactly the alerts there are, one per line, oldest first', async () => {
    const result = await runCli(['alerts', '--json'], deployment.env, { timeoutMs: 30_000 });
    assert.equal(result.code, 0, result.stderr);
    const printed = jsonLines(result.stdout) as DriftAlert[];
    assert.deepEqual(
      [...printed.slice(0, 2)].sort((a, b) => a.alertId.localeCompare(b.alertId)),
      early,
    );
    assert.deepEqual(printed.slice(2), late);
  });

  it('--model keeps one model, --since starts at a time', async () => {
    const sea = await runCli(['alerts', '--json', '--model', 'sea'], deployment.env);
    assert.equal(sea.code, 0, sea.stderr);
    assert.deepEqual(jsonLines(sea.stdout), [early[0], late[0]]);

    const since = await runCli(
      ['alerts', '--json', '--since', new Date(between).toISOString()],
      deployment.env,
    );
    assert.equal(since.code, 0, since.stderr);
    assert.deepEqual(jsonLines(since.stdout), late);

    const future = await runCli(
      ['alerts', '--json', '--since', String(Date.now() + 3_600_000)],
      deployment.env,
    );
    assert.equal(future.code, 0, future.stderr);
    assert.deepEqual(jsonLines(future.stdout), []);
  });

  it('prints one human line per alert', async () => {
    const result = await runCli(['alerts', '--model', 'elec2'], deployment.env);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, `${alertsTable([early[1]!]).join('\n')}\n`);
  });

  it('--follow prints what exists, then new alerts, until Ctrl-C', async () => {
    const child = spawnCli(
      ['alerts', '--follow', '--json', '--since', String(between)],
      deployment.env,
    );
    const lines: DriftAlert[] = [];
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const complete = buffered.split('\n');
      buffered = complete.pop() ?? '';
      for (const line of complete)
        if (line.trim() !== '') lines.push(JSON.parse(line) as DriftAlert);
    });
    const waitFor = async (count: number): Promise<void> => {
      const deadline = Date.now() + 20_000;
      while (lines.length < count) {
        assert.ok(Date.now() < deadline, `${lines.length} of ${count} alerts printed`);
        await sleep(100);
      }
    };
    try {
      await waitFor(1);
      const fresh = alert('a4', 'sea', { observedAt: Date.now() });
      await produce([fresh]);
      await waitFor(2);
      assert.deepEqual(lines, [...late, fresh]);
    } finally {
      child.kill('SIGINT');
    }
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0);
  });

  it('reports a missing topic without failing, and fails to --follow one', async () => {
    const empty = await testDeployment('alerts-empty');
    const listed = await runCli(['alerts'], empty.env);
    assert.equal(listed.code, 0);
    assert.equal(listed.stdout, '');
    assert.match(listed.stderr, /does not exist yet/);
    const followed = await runCli(['alerts', '--follow'], empty.env);
    assert.equal(followed.code, 1);
    assert.match(followed.stderr, /^driftwatch: topic .*drift-alerts does not exist yet/);
  });
});
