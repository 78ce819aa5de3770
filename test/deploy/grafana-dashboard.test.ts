/**
 * Grafana cannot run here, so this checks what can go stale without it: every metric a panel of
 * the provisioned dashboard queries is one that a service registers, under that exact name.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { createDetectorDiagnostics } from '@driftwatch/detector';
import { createInferenceDiagnostics } from '@driftwatch/inference';
import { createJoinerDiagnostics } from '@driftwatch/joiner';
import { createTrainerDiagnostics } from '@driftwatch/trainer';
import { Registry } from 'prom-client';

import { repoRoot } from '../support/stack-cli.js';

interface Dashboard {
  panels: { title: string; targets: { expr: string }[] }[];
}

function registeredMetricNames(): Set<string> {
  const registry = new Registry();
  createInferenceDiagnostics(registry);
  createJoinerDiagnostics(registry);
  createDetectorDiagnostics(registry);
  createTrainerDiagnostics(registry);
  const names = new Set<string>();
  for (const metric of registry.getMetricsAsArray()) {
    names.add(metric.name);
    // A histogram is queried through its series.
    for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${metric.name}${suffix}`);
  }
  return names;
}

describe('the Grafana dashboard', () => {
  const dashboard = JSON.parse(
    readFileSync(join(repoRoot, 'deploy/grafana/dashboards/driftwatch.json'), 'utf8'),
  ) as Dashboard;

  it('queries only metrics the services register', () => {
    const registered = registeredMetricNames();
    const queried = dashboard.panels.flatMap((panel) =>
      panel.targets.flatMap((target) => target.expr.match(/driftwatch_[a-z0-9_]+/g) ?? []),
    );
    assert.ok(queried.length >= 15, `${queried.length} metrics queried`);
    assert.deepEqual(
      queried.filter((name) => !registered.has(name)),
      [],
    );
  });

  it('names metrics by Prometheus conventions: the driftwatch_ prefix, _total on counters', () => {
    const registry = new Registry();
    createInferenceDiagnostics(registry);
    createJoinerDiagnostics(registry);
    createDetectorDiagnostics(registry);
    createTrainerDiagnostics(registry);
    for (const metric of registry.getMetricsAsArray()) {
      const { name, type } = metric as unknown as { name: string; type: string };
      assert.match(name, /^driftwatch_[a-z]+_[a-z0-9_]+$/);
      assert.equal(name.endsWith('_total'), type === 'counter', `${name} is a ${type}`);
    }
  });
});
