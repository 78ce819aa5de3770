/**
 * Issue 15, "Prometheus and Grafana, proven": a real Prometheus (Debian's, installed when missing)
 * scrapes the four services during a short closed loop on the real broker and Redis, with the
 * rules of deploy/prometheus/rules loaded. Then every query of every panel of the provisioned
 * Grafana dashboard returns data, every rule loaded and evaluated without error, and the first
 * dead letter and the first drift alert are seen by `increase()` — the series exist at 0 before
 * them, so they are steps, not series that appear at 1.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';

import { seaStream } from '@driftwatch/datasets';
import { repoRoot, runClosedLoop, serviceNames } from '@driftwatch/demo';
import { ensurePrometheus, StackError } from '@driftwatch/stack';

import { kafkaBrokers, redisUrl, testKafka } from '../support/environment.js';
import { startPrometheus, type PromRule, type RunningPrometheus } from '../support/prometheus.js';

interface Dashboard {
  panels: { title: string; targets: { expr: string }[] }[];
  templating?: { list?: { name: string }[] };
}

/**
 * A panel's query as Grafana would send it: its interval macros and template variables replaced.
 * A variable without a value here fails the test, so a new one cannot go unproven.
 */
function asSent(expr: string, variables: Record<string, string>): string {
  return expr.replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)/g, (whole, braced?: string, bare?: string) => {
    const name = braced ?? bare ?? '';
    const value = variables[name];
    assert.ok(value !== undefined, `no value for the template variable in ${whole} of ${expr}`);
    return value;
  });
}

/** Every query of every panel, with the data Prometheus returned for it. */
async function panelResults(
  prometheus: RunningPrometheus,
  dashboard: Dashboard,
  variables: Record<string, string>,
): Promise<{ panel: string; expr: string; series: number }[]> {
  return Promise.all(
    dashboard.panels.flatMap((panel) =>
      panel.targets.map(async (target) => {
        const expr = asSent(target.expr, variables);
        return { panel: panel.title, expr, series: (await prometheus.query(expr)).length };
      }),
    ),
  );
}

interface Observation {
  results: Awaited<ReturnType<typeof panelResults>>;
  rules: PromRule[];
  deadLetterIncrease: number;
  alertIncrease: number;
}

async function findPrometheus(): Promise<{ binary: string } | { missing: string }> {
  try {
    return { binary: (await ensurePrometheus()).prometheus };
  } catch (error) {
    if (error instanceof StackError && error.code === 'DW_STACK_NO_PROMETHEUS') {
      return { missing: error.message };
    }
    throw error;
  }
}

const found = await findPrometheus();
const intervalSeconds = 1;
/** How long what Prometheus sees may trail what the run has done: scrapes and rule evaluations. */
const catchUpMs = 60_000;

describe(
  'Prometheus scraping the services during a closed loop',
  { skip: 'missing' in found ? found.missing : false, timeout: 600_000 },
  () => {
    it('answers every dashboard query with data, evaluates every rule, and counts the first dead letter and alert', async (t) => {
      const binary = 'binary' in found ? found.binary : 'prometheus';
      const dashboard = JSON.parse(
        await readFile(join(repoRoot, 'deploy/grafana/dashboards/driftwatch.json'), 'utf8'),
      ) as Dashboard;
      const rulesDir = join(repoRoot, 'deploy/prometheus/rules');
      const ruleFiles = (await readdir(rulesDir))
        .filter((name) => name.endsWith('.yml'))
        .map((name) => join(rulesDir, name));
      const prometheus = await startPrometheus({
        binary,
        dir: await mkdtemp(join(tmpdir(), 'driftwatch-prometheus-')),
        jobs: serviceNames,
        ruleFiles,
        intervalSeconds,
      });
      const kafka = testKafka();
      const length = 4000;
      const model = 'sea';
      const variables = {
        model,
        __rate_interval: `${4 * intervalSeconds}s`,
        __interval: `${intervalSeconds}s`,
      };
      let targets: Promise<void> = Promise.resolve();
      // Set in the run's cleanup hook, which TypeScript cannot see run: hence the cast.
      let seen = null as Observation | null;
      try {
        const stream = seaStream({
          seed: 1,
          length,
          concepts: [
            { start: 0, threshold: 7 },
            { start: length / 2, threshold: 11 },
          ],
        });
        const started = performance.now();
        const { summary } = await runClosedLoop({
          kafka,
          brokers: kafkaBrokers,
          redisUrl,
          model,
          streamName: 'sea',
          featureNames: ['x1', 'x2', 'x3'],
          knownDrifts: stream.drifts,
          reference: [
            ...seaStream({ seed: 2, length: 2000, concepts: [{ start: 0, threshold: 7 }] }),
          ],
          rows: [...stream],
          rate: 500,
          labelDelayMs: 300,
          seed: 1,
          serviceEnv: {
            DETECTOR_WINDOW: '500',
            DETECTOR_ADWIN_COOLDOWN: '1000',
            DETECTOR_BLOCK_SIZE: '500',
            DETECTOR_BLOCK_ACCURACY_THRESHOLD: '0.8',
            RETRAIN_MIN_ROWS: '500',
            TRAINER_MIN_ROWS: '300',
            PROMOTION_MIN_HOLDOUT: '100',
          },
          from: 'source',
          logDir: join(repoRoot, '.cache', 'test-logs'),
          keepTopics: false,
          onEvent: (event) => {
            if (event.kind !== 'services-ready') return;
            targets = Promise.all(
              event.services.map((service) =>
                prometheus.setTarget(service.name, `127.0.0.1:${service.port}`),
              ),
            ).then(() => undefined);
          },
          // The services still run here: what Prometheus scrapes now is the whole run.
          beforeCleanup: async ({ names }) => {
            await targets;
            // One record no decoder accepts: the run's first dead letter.
            const producer = kafka.producer();
            await producer.connect();
            await producer.send({
              topic: names.events,
              messages: [{ key: 'not-an-event', value: Buffer.from('{"id": ') }],
            });
            await producer.disconnect();
            const total = async (expr: string): Promise<number> =>
              (await prometheus.query(expr)).reduce((sum, s) => sum + Number(s.value[1]), 0);
            const deadline = Date.now() + catchUpMs;
            for (;;) {
              const results = await panelResults(prometheus, dashboard, variables);
              const rules = await prometheus.rules();
              const deadLetterIncrease = await total(
                'sum(increase(driftwatch_inference_dead_letters_total[10m]))',
              );
              const alertIncrease = await total(
                'sum(increase(driftwatch_detector_alerts_total[10m]))',
              );
              seen = { results, rules, deadLetterIncrease, alertIncrease };
              const settled =
                results.every((result) => result.series > 0) &&
                rules.every((rule) => rule.health === 'ok') &&
                deadLetterIncrease > 0;
              if (settled || Date.now() > deadline) break;
              await sleep(intervalSeconds * 1000);
            }
          },
        });
        t.diagnostic(
          JSON.stringify({
            runSeconds: Math.round((performance.now() - started) / 1000),
            labeled: summary.labeled,
            alerts: summary.alerts.total,
            retrains: summary.retrains.requested,
            versions: summary.versions.map((v) => v.version),
          }),
        );
        assert.ok(seen, 'the run never reached its cleanup');
        const { results, rules, deadLetterIncrease, alertIncrease } = seen;
        t.diagnostic(JSON.stringify({ deadLetterIncrease, alertIncrease, rules: rules.length }));
        t.diagnostic(JSON.stringify(results.map((result) => [result.panel, result.series])));
        assert.deepEqual(
          results.filter((result) => result.series === 0),
          [],
          'panel queries without data',
        );
        assert.ok(results.length >= 25, `${results.length} panel queries`);
        assert.deepEqual(
          rules.filter((rule) => rule.health !== 'ok'),
          [],
          'rules that did not evaluate',
        );
        assert.ok(rules.some((rule) => rule.type === 'alerting'));
        assert.ok(rules.some((rule) => rule.type === 'recording'));
        for (const rule of rules) {
          assert.ok(Date.parse(rule.lastEvaluation) > 0, `${rule.name} never evaluated`);
        }
        // Without a series at 0 before it, the first increment of a counter is a series that
        // appears at 1, and increase() over it is 0.
        assert.ok(deadLetterIncrease > 0, `increase() of dead letters: ${deadLetterIncrease}`);
        assert.ok(summary.alerts.total > 0, 'the drift was never alerted');
        assert.ok(alertIncrease > 0, `increase() of drift alerts: ${alertIncrease}`);
      } finally {
        await prometheus.stop();
      }
    });
  },
);
