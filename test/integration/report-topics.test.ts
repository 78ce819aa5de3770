/**
 * Issue "A report people look at": `driftwatch report` on records written to real topics (a topic
 * prefix of its own) equals what those records say, computed here from the same records without
 * the report package; and an unknown model, an empty range and missing topics each end with one
 * line, not an empty page.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { catalogTopicSpecs, provisionTopics } from '@driftwatch/bus';
import { seaStream, type SeaRow } from '@driftwatch/datasets';
import { psi } from '@driftwatch/drift';
import { buildFeatureMatrix, OnnxScorer } from '@driftwatch/model';
import {
  createCodecs,
  modelVersionKey,
  topicNames,
  type BinnedDistribution,
  type Codecs,
  type DriftAlert,
  type LabeledPrediction,
  type ModelVersion,
  type RetrainRequest,
} from '@driftwatch/topics';
import { bootstrapVersion } from '@driftwatch/model';

import { kafkaBrokers, testKafka, uniqueName } from '../support/environment.js';
import { ensureChromium, openOffline } from '../support/headless-chromium.js';

const repoRoot = join(import.meta.dirname, '..', '..');
const artifacts = join(repoRoot, 'test-artifacts', 'report');
const model = 'sea';
const events = 3000;
const driftAt = 1500;
const takeoverAt = 1800;
const window = 200;
const labelDelayMs = 400;
/** Event time of event 0: two hours ago, so every record is in the broker's past. */
const start = Date.now() - 2 * 3_600_000;
const eventTime = (index: number): number => start + index * 1000;

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI from source, as a person runs it, on this test's deployment. */
function runCli(args: readonly string[], env: Record<string, string>): Promise<CliRun> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--conditions=@driftwatch/source',
      join(repoRoot, 'packages', 'cli', 'src', 'main.ts'),
      ...args,
    ],
    { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  return new Promise((resolve) => {
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** What inference would have predicted with `version` on these rows. */
async function score(version: ModelVersion, rows: readonly SeaRow[]): Promise<number[]> {
  const scorer = await OnnxScorer.load(version.onnx, { expectedSha256: version.sha256 });
  try {
    const { matrix, accepted } = buildFeatureMatrix(rows, scorer.featureNames);
    assert.equal(accepted.length, rows.length);
    return Array.from(await scorer.score(matrix, rows.length));
  } finally {
    await scorer.release();
  }
}

/** Accuracy, F1, ROC-AUC the obvious way; 4 decimals, as the report stores them. */
function metricsOf(window: readonly { label: number; predicted: number; score: number }[]) {
  const round = (value: number): number | null =>
    Number.isFinite(value) ? Math.round(value * 1e4) / 1e4 : null;
  const tp = window.filter((o) => o.label === 1 && o.predicted === 1).length;
  const fp = window.filter((o) => o.label === 0 && o.predicted === 1).length;
  const fn = window.filter((o) => o.label === 1 && o.predicted === 0).length;
  const positives = window.filter((o) => o.label === 1).map((o) => o.score);
  const negatives = window.filter((o) => o.label === 0).map((o) => o.score);
  let ranked = 0;
  for (const p of positives) for (const n of negatives) ranked += p > n ? 1 : p === n ? 0.5 : 0;
  return {
    accuracy: round(window.filter((o) => o.label === o.predicted).length / window.length),
    f1: round(tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn)),
    rocAuc: round(
      positives.length && negatives.length ? ranked / (positives.length * negatives.length) : NaN,
    ),
  };
}

/** PSI of values against a reference's bins, the outer bins open-ended, as the detector counts. */
function psiAgainst(reference: BinnedDistribution, values: readonly number[]): number {
  const counts = reference.proportions.map(() => 0);
  for (const value of values) {
    let bin = 0;
    while (bin < counts.length - 1 && value >= reference.edges[bin + 1]!) bin++;
    counts[bin]!++;
  }
  return psi(
    reference.proportions,
    counts.map((count) => count / values.length),
  );
}

interface ReportSeries {
  of: { kind: string; version?: number };
  label: string;
  ts: number[];
  metrics: Record<string, (number | null)[]>;
}

interface ReportJson {
  model: string;
  totals: Record<string, number | null>;
  performance: ReportSeries[];
  markers: { kind: string; ts: number; ref: string; feature?: string | null }[];
  dataDrift: {
    rows: { label: string; feature: string | null }[];
    columns: {
      version: number;
      from: number;
      to: number;
      predictions: number;
      psi: (number | null)[];
    }[];
    moved: { label: string; version: number; psi: number }[];
  };
  versions: { version: number; parentVersion: number | null; status: string; serving: boolean }[];
  alerts: { alertId: string; observedAt: number; text: string; outcome: string | null }[];
  notes: string[];
  generatedAt: number;
}

describe('driftwatch report on real topics', { timeout: 300_000 }, () => {
  const prefix = `${uniqueName('test-report')}.`;
  const names = topicNames(prefix);
  const kafka = testKafka();
  const env = {
    KAFKA_BROKERS: kafkaBrokers.join(','),
    TOPIC_PREFIX: prefix,
    SCHEMA_REGISTRY_URL: '',
  };
  let codecs: Codecs;
  let versions: ModelVersion[];
  const predictions: LabeledPrediction[] = [];
  const alerts: DriftAlert[] = [];
  const requests: RetrainRequest[] = [];
  let neverRetrained: Map<string, { predicted: 0 | 1; score: number }>;

  before(async () => {
    codecs = await createCodecs({ schemaRegistryUrl: '', names });
    const admin = kafka.admin();
    await admin.connect();
    await provisionTopics(
      admin,
      catalogTopicSpecs(
        names,
        ['predictionsLabeled', 'modelVersions', 'driftAlerts', 'retrainRequested'],
        {
          partitions: 3,
          replicationFactor: 1,
        },
      ),
    );
    await admin.disconnect();

    // The stream: θ moves from 8 to 11 at event 1,500, and x3 moves up by 4 there too.
    const rows = [
      ...seaStream({
        seed: 11,
        length: events,
        concepts: [
          { start: 0, threshold: 8 },
          { start: driftAt, threshold: 11, shift: { x3: 4 } },
        ],
      }),
    ];
    const train = async (sample: readonly SeaRow[], createdAt: number) =>
      bootstrapVersion({
        model,
        featureNames: ['x1', 'x2', 'x3'],
        rows: sample.map((row) => [row.features.x1, row.features.x2, row.features.x3]),
        labels: sample.map((row) => row.label),
        candidate: { family: 'logistic', training: {}, referenceBins: 10 },
        createdAt,
      });
    const sample = (concept: number, seed: number): SeaRow[] => [
      ...seaStream({
        seed,
        length: 1000,
        concepts: [
          concept === 0
            ? { start: 0, threshold: 8 }
            : { start: 0, threshold: 11, shift: { x3: 4 } },
        ],
      }),
    ];
    const v1 = await train(sample(0, 21), start - 60_000);
    const v2 = {
      ...(await train(sample(1, 22), eventTime(takeoverAt) - 1000)),
      version: 2,
      parentVersion: 1,
      reason: 'drift request: accuracy 0.91 vs champion 0.70 (+0.21 ≥ 0.01)',
      requestId: 'request-2',
      metrics: {
        challenger: { accuracy: 0.91, f1: 0.93, rocAuc: 0.95 },
        champion: { accuracy: 0.7, f1: 0.8, rocAuc: 0.8 },
      },
    };
    const v3 = {
      ...v2,
      version: 3,
      parentVersion: 2,
      status: 'rejected' as const,
      requestId: 'request-3',
      reason: 'manual request: no gain',
    };
    versions = [v1, v2, v3];

    const served = [
      await score(v1, rows.slice(0, takeoverAt)),
      await score(v2, rows.slice(takeoverAt)),
    ].flat();
    rows.forEach((row, index) => {
      const ts = eventTime(index);
      const scoreOf = served[index]!;
      predictions.push({
        id: `sea-${index}`,
        model,
        modelVersion: index < takeoverAt ? 1 : 2,
        ts,
        scoredAt: ts + 5,
        score: scoreOf,
        predicted: scoreOf >= 0.5 ? 1 : 0,
        features: { ...row.features },
        label: row.label,
        labelTs: ts + labelDelayMs,
        labelDelayMs,
      });
    });
    neverRetrained = new Map(
      (await score(v1, rows)).map((s, index) => [
        `sea-${index}`,
        { predicted: s >= 0.5 ? 1 : 0, score: s },
      ]),
    );
    const alert = (
      fields: Partial<DriftAlert> & Pick<DriftAlert, 'alertId' | 'observedAt'>,
    ): DriftAlert => ({
      summary: '',
      expectedRunLength: null,
      model,
      modelVersion: 1,
      kind: 'concept',
      detector: 'adwin',
      feature: null,
      statistic: 0.32,
      threshold: 0.11,
      windowStart: fields.observedAt - 200_000,
      windowEnd: fields.observedAt - 100,
      severity: 'warning',
      evidence: null,
      ...fields,
    });
    alerts.push(
      alert({ alertId: 'alert-concept', observedAt: eventTime(driftAt + 150) }),
      alert({
        alertId: 'alert-data',
        observedAt: eventTime(driftAt + 200),
        kind: 'data',
        detector: 'psi',
        feature: 'x3',
        statistic: 1.9,
        threshold: 0.2,
        severity: 'critical',
      }),
      alert({
        alertId: 'alert-v2',
        observedAt: eventTime(2500),
        modelVersion: 2,
        detector: 'block-accuracy',
        statistic: 0.78,
        threshold: 0.8,
      }),
    );
    requests.push(
      {
        requestId: 'request-2',
        model,
        reason: 'drift',
        alertId: 'alert-concept',
        fromTs: eventTime(1200),
        toTs: eventTime(1650),
        requestedAt: eventTime(driftAt + 160),
      },
      {
        requestId: 'request-3',
        model,
        reason: 'manual',
        alertId: null,
        fromTs: eventTime(1800),
        toTs: eventTime(2800),
        requestedAt: eventTime(2800),
      },
    );
    const other = { ...predictions[10]!, id: 'other-10', model: 'other' };

    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    try {
      await producer.send({
        topic: names.modelVersions,
        messages: await Promise.all(
          versions.map(async (v) => ({
            key: modelVersionKey(model, v.version),
            value: await codecs.modelVersions.encode(v),
            timestamp: String(v.createdAt),
          })),
        ),
      });
      // Written when the label arrived, as the joiner does; one record is not a prediction at all.
      for (let i = 0; i < predictions.length; i += 500) {
        await producer.send({
          topic: names.predictionsLabeled,
          messages: await Promise.all(
            predictions.slice(i, i + 500).map(async (p) => ({
              key: model,
              value: await codecs.predictionsLabeled.encode(p),
              timestamp: String(p.labelTs),
            })),
          ),
        });
      }
      await producer.send({
        topic: names.predictionsLabeled,
        messages: [
          {
            key: 'other',
            value: await codecs.predictionsLabeled.encode(other),
            timestamp: String(other.labelTs),
          },
          { key: model, value: Buffer.from('not json'), timestamp: String(eventTime(100)) },
        ],
      });
      await producer.send({
        topic: names.driftAlerts,
        messages: await Promise.all(
          [
            ...alerts,
            alert({ alertId: 'alert-other', observedAt: eventTime(2000), model: 'other' }),
          ].map(async (a) => ({
            key: a.model,
            value: await codecs.driftAlerts.encode(a),
            timestamp: String(a.observedAt),
          })),
        ),
      });
      await producer.send({
        topic: names.retrainRequested,
        messages: await Promise.all(
          requests.map(async (r) => ({
            key: model,
            value: await codecs.retrainRequested.encode(r),
            timestamp: String(r.requestedAt),
          })),
        ),
      });
    } finally {
      await producer.disconnect();
    }
  });

  after(async () => {
    const admin = kafka.admin();
    await admin.connect();
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics });
    await admin.disconnect();
  });

  it('writes the series the topics hold: performance, never-retrained, markers, PSI, lineage, alerts', async () => {
    const run = await runCli(['report', model, '--json', '--window', String(window)], env);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as ReportJson;
    const sorted = [...predictions].sort((a, b) => a.ts - b.ts);
    assert.equal(report.model, model);
    assert.equal(report.totals['predictions'], events);
    const correct = sorted.filter((p) => p.label === p.predicted).length;
    assert.equal(report.totals['accuracy'], Math.round((correct / events) * 1e4) / 1e4);
    assert.deepEqual(report.notes, [`1 unreadable records of ${names.predictionsLabeled} skipped`]);

    // Every point of every line is its metric over the window of that line ending there.
    const lines: Record<string, { ts: number; label: number; predicted: number; score: number }[]> =
      {
        v1: sorted.filter((p) => p.modelVersion === 1),
        v2: sorted.filter((p) => p.modelVersion === 2),
        'served (all versions)': sorted,
        'v1 never retrained': sorted.map((p) => ({ ...p, ...neverRetrained.get(p.id)! })),
      };
    assert.deepEqual(report.performance.map((s) => s.label).sort(), Object.keys(lines).sort());
    for (const series of report.performance) {
      const outcomes = lines[series.label]!;
      assert.ok(series.ts.length > 10 && series.ts.length <= 400, series.label);
      assert.equal(series.ts[0], outcomes[Math.ceil(window / 5) - 1]!.ts, series.label);
      assert.equal(
        series.ts[series.ts.length - 1],
        outcomes[outcomes.length - 1]!.ts,
        series.label,
      );
      series.ts.forEach((ts, k) => {
        const end = outcomes.findIndex((o) => o.ts === ts);
        const expected = metricsOf(outcomes.slice(Math.max(0, end - window + 1), end + 1));
        for (const metric of ['accuracy', 'f1', 'rocAuc'] as const) {
          assert.equal(
            series.metrics[metric]![k],
            expected[metric],
            `${series.label} ${metric} at ${end}`,
          );
        }
      });
    }
    const neverRetrainedCorrect = sorted.filter(
      (p) => neverRetrained.get(p.id)!.predicted === p.label,
    ).length;
    assert.equal(
      report.totals['neverRetrainedAccuracy'],
      Math.round((neverRetrainedCorrect / events) * 1e4) / 1e4,
    );

    // Markers: alerts when observed, requests when made, v2 where it first served.
    const markers = (kind: string) =>
      report.markers.filter((m) => m.kind === kind).map((m) => [m.ts, m.ref]);
    assert.deepEqual(markers('concept-alert'), [
      [eventTime(driftAt + 150), 'alert-concept'],
      [eventTime(2500), 'alert-v2'],
    ]);
    assert.deepEqual(markers('data-alert'), [[eventTime(driftAt + 200), 'alert-data']]);
    assert.deepEqual(markers('retrain-requested'), [
      [eventTime(driftAt + 160), 'request-2'],
      [eventTime(2800), 'request-3'],
    ]);
    assert.deepEqual(markers('takeover'), [[eventTime(takeoverAt), '2']]);

    // PSI of each column, from its predictions and its version's reference.
    const { dataDrift } = report;
    assert.deepEqual(
      dataDrift.rows.map((r) => r.label),
      ['x1', 'x2', 'x3', "model's score"],
    );
    assert.equal(
      dataDrift.columns.reduce((sum, c) => sum + c.predictions, 0),
      events,
    );
    for (const column of dataDrift.columns) {
      const inColumn = sorted.filter(
        (p) => p.modelVersion === column.version && p.ts >= column.from && p.ts <= column.to,
      );
      assert.equal(inColumn.length, column.predictions);
      const version = versions.find((v) => v.version === column.version)!;
      dataDrift.rows.forEach((row, r) => {
        const reference =
          row.feature === null
            ? version.reference.score!
            : version.reference.features.find((f) => f.name === row.feature)!;
        const values = inColumn.map((p) =>
          row.feature === null ? p.score : p.features[row.feature]!,
        );
        assert.equal(
          column.psi[r],
          Math.round(psiAgainst(reference, values) * 1e4) / 1e4,
          `${row.label} in v${column.version} from ${column.from}`,
        );
      });
    }
    // x3 moved by 4 under v1, whose reference never saw it.
    const moved = dataDrift.moved[0]!;
    assert.equal(moved.label, 'x3');
    assert.equal(moved.version, 1);

    assert.deepEqual(
      report.versions.map((v) => [v.version, v.parentVersion, v.status, v.serving]),
      [
        [1, null, 'promoted', false],
        [2, 1, 'promoted', true],
        [3, 2, 'rejected', false],
      ],
    );
    assert.deepEqual(
      report.alerts.map((a) => [a.alertId, a.outcome]),
      [
        ['alert-concept', 'retrain (drift) → v2 promoted'],
        ['alert-data', null],
        ['alert-v2', null],
      ],
    );
    assert.match(
      report.alerts[0]!.text,
      /^error rate rose from 11\.0% to 32\.0% \(ADWIN\), evidence since /,
    );
  });

  it('writes the page, and the page holds the same report', async () => {
    await mkdir(artifacts, { recursive: true });
    const out = join(artifacts, 'from-topics.html');
    await rm(out, { force: true });
    const [page, json] = await Promise.all([
      runCli(['report', model, '--window', String(window), '--out', out], env),
      runCli(['report', model, '--json', '--window', String(window)], env),
    ]);
    assert.equal(page.code, 0, page.stderr);
    assert.match(
      page.stdout,
      new RegExp(`^wrote ${out}: \\d+ KB, 3,000 labeled predictions of sea, `),
    );
    const html = await readFile(out, 'utf8');
    const embedded = /<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(
      html,
    );
    const fromPage = JSON.parse(embedded![1]!) as ReportJson;
    const fromJson = JSON.parse(json.stdout) as ReportJson;
    assert.deepEqual({ ...fromPage, generatedAt: 0 }, { ...fromJson, generatedAt: 0 });

    const chromium = await ensureChromium();
    if ('unavailable' in chromium) {
      console.log(`skipping the browser check of the CLI's page: ${chromium.unavailable}`);
      return;
    }
    const rendered = await openOffline<{ canvases: number }>({
      chromium: chromium.path,
      file: out,
      screenshot: join(artifacts, 'from-topics.png'),
      ready:
        "document.body.dataset.rendered === 'true' || document.body.dataset.renderError !== undefined",
      inspect: "({ canvases: document.querySelectorAll('.uplot canvas').length })",
      timeoutMs: 60_000,
    });
    assert.deepEqual(rendered.errors, []);
    assert.deepEqual(rendered.requests, []);
    assert.equal(rendered.checks.canvases, 3);
    assert.ok(existsSync(join(artifacts, 'from-topics.png')));
  });

  it('says in one line what is wrong: an unknown model, an empty range, missing topics', async () => {
    const [unknown, empty, missing, backwards] = await Promise.all([
      runCli(['report', 'nosuch'], env),
      runCli(['report', model, '--from', '2001-01-01', '--to', '2001-01-02'], env),
      runCli(['report', model], { ...env, TOPIC_PREFIX: `${uniqueName('test-report-none')}.` }),
      runCli(['report', model, '--from', '2001-01-02', '--to', '2001-01-01'], env),
    ]);
    assert.deepEqual([unknown.code, unknown.stdout], [1, '']);
    assert.equal(
      unknown.stderr,
      `driftwatch: no version of model "nosuch" in ${names.modelVersions}; models: sea\n`,
    );
    assert.deepEqual([empty.code, empty.stdout], [1, '']);
    assert.equal(
      empty.stderr,
      `driftwatch: no labeled predictions of sea with event time from 2001-01-01 00:00:00 to 2001-01-02 00:00:00 UTC in ${names.predictionsLabeled}; widen --from/--to\n`,
    );
    assert.deepEqual([missing.code, missing.stdout], [1, '']);
    assert.match(
      missing.stderr,
      /^driftwatch: cannot report on sea: topics \S+predictions-labeled, \S+model-versions, \S+drift-alerts, \S+retrain-requested do not exist \(TOPIC_PREFIX="test-report-none-\w+\."\); start the services, or set TOPIC_PREFIX to the deployment's\n$/,
    );
    assert.deepEqual([backwards.code, backwards.stdout], [1, '']);
    assert.equal(
      backwards.stderr,
      'driftwatch: --from (2001-01-02 00:00:00 UTC) is after --to (2001-01-01 00:00:00 UTC)\n',
    );
  });
});
