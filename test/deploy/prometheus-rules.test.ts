/**
 * Issue 15, "Prometheus and Grafana, proven": the alerting and recording rules in
 * deploy/prometheus/rules are valid (`promtool check rules`) and do what their unit tests say
 * (`promtool test rules`). Debian's `prometheus` package, which ships promtool, is installed when
 * missing, as the stack does for Redis; the tests skip only when it cannot be.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { ensurePrometheus, StackError } from '@driftwatch/stack';
import { parse } from 'yaml';

import { repoRoot } from '../support/stack-cli.js';

interface RuleFile {
  groups: {
    rules: {
      alert?: string;
      record?: string;
      labels?: Record<string, string>;
      annotations?: Record<string, string>;
    }[];
  }[];
}

interface RuleTestFile {
  tests: { alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[] }[];
}

const rulesDir = join(repoRoot, 'deploy/prometheus/rules');
const testsDir = join(repoRoot, 'deploy/prometheus/tests');
const yamlIn = (dir: string): string[] =>
  readdirSync(dir)
    .filter((name) => name.endsWith('.yml'))
    .map((name) => join(dir, name));

/** promtool's path, or why it is not there (then the tests skip with that reason). */
async function findPromtool(): Promise<{ promtool: string } | { missing: string }> {
  try {
    return { promtool: (await ensurePrometheus()).promtool };
  } catch (error) {
    if (error instanceof StackError && error.code === 'DW_STACK_NO_PROMETHEUS') {
      return { missing: error.message };
    }
    throw error;
  }
}

function promtool(path: string, args: string[]): { status: number | null; output: string } {
  const result = spawnSync(path, args, { cwd: repoRoot, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const found = await findPromtool();
const skip = 'missing' in found ? found.missing : false;

describe('the Prometheus rules', { skip }, () => {
  const path = 'promtool' in found ? found.promtool : 'promtool';

  it('pass promtool check rules', () => {
    const files = yamlIn(rulesDir);
    assert.ok(files.length > 0, `no rule file in ${rulesDir}`);
    const { status, output } = promtool(path, ['check', 'rules', ...files]);
    assert.equal(status, 0, output);
    assert.match(output, /SUCCESS: \d+ rules found/);
  });

  it('pass their promtool unit tests', () => {
    const files = yamlIn(testsDir);
    assert.ok(files.length > 0, `no rule test in ${testsDir}`);
    const { status, output } = promtool(path, ['test', 'rules', ...files]);
    assert.equal(status, 0, output);
  });

  it('raise every alert the issue names, each unit-tested, with a severity and a summary', () => {
    const rules = yamlIn(rulesDir).flatMap((file) =>
      (parse(readFileSync(file, 'utf8')) as RuleFile).groups.flatMap((group) => group.rules),
    );
    const alerts = rules.filter((rule) => rule.alert !== undefined);
    assert.deepEqual(alerts.map((rule) => rule.alert).sort(), [
      'DriftwatchAccuracyBelowFloor',
      'DriftwatchConsumerLagHigh',
      'DriftwatchDeadLetterRateHigh',
      'DriftwatchEstimatedAccuracyBelowFloor',
      'DriftwatchFrequentDriftAlerts',
      'DriftwatchPredictionLatencyHigh',
      'DriftwatchServiceDown',
    ]);
    for (const rule of alerts) {
      assert.ok(rule.labels?.['severity'], `${rule.alert} has no severity`);
      assert.ok(rule.annotations?.['summary'], `${rule.alert} has no summary`);
    }
    const tested = new Set(
      yamlIn(testsDir).flatMap((file) =>
        (parse(readFileSync(file, 'utf8')) as RuleTestFile).tests.flatMap((test) =>
          (test.alert_rule_test ?? [])
            .filter((check) => (check.exp_alerts ?? []).length > 0)
            .map((check) => check.alertname),
        ),
      ),
    );
    assert.deepEqual(
      alerts.map((rule) => rule.alert).filter((name) => !tested.has(name ?? '')),
      [],
      'alerts no unit test sees firing',
    );
  });
});
