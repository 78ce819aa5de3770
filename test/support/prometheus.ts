import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { freePort } from './stack-cli.js';

/** One instant vector element of Prometheus' HTTP API. */
export interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

export interface PromRule {
  name: string;
  type: 'alerting' | 'recording';
  health: 'ok' | 'err' | 'unknown';
  lastError?: string;
  lastEvaluation: string;
}

export interface RunningPrometheus {
  url: string;
  /** Points job `job` at `host:port` (file-based discovery: Prometheus picks it up at once). */
  setTarget(job: string, address: string): Promise<void>;
  /** An instant query; throws on a query Prometheus refuses. */
  query(expr: string): Promise<PromSample[]>;
  rules(): Promise<PromRule[]>;
  stop(): Promise<void>;
}

export interface PrometheusOptions {
  /** The `prometheus` binary (see `ensurePrometheus`). */
  binary: string;
  /** Its config, data and log live here. */
  dir: string;
  jobs: readonly string[];
  ruleFiles: readonly string[];
  /** Scrape and rule evaluation interval; short, so a minute-long run has many samples. */
  intervalSeconds: number;
}

/**
 * A Prometheus of a test's own: a free port on 127.0.0.1, a data directory under `dir`, one scrape
 * job per name in `jobs` whose target is set later (the services' ports are known only once they
 * run), and the given rule files.
 */
export async function startPrometheus(options: PrometheusOptions): Promise<RunningPrometheus> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const targetsFile = (job: string): string => join(options.dir, `targets-${job}.json`);
  await mkdir(join(options.dir, 'data'), { recursive: true });
  for (const job of options.jobs) await writeFile(targetsFile(job), '[]');
  const interval = `${options.intervalSeconds}s`;
  const config = {
    global: { scrape_interval: interval, evaluation_interval: interval },
    rule_files: options.ruleFiles,
    scrape_configs: options.jobs.map((job) => ({
      job_name: job,
      file_sd_configs: [{ files: [targetsFile(job)], refresh_interval: '1s' }],
    })),
  };
  const configFile = join(options.dir, 'prometheus.yml');
  // JSON is YAML.
  await writeFile(configFile, JSON.stringify(config, null, 2));
  const log = createWriteStream(join(options.dir, 'prometheus.log'));
  const child: ChildProcess = spawn(
    options.binary,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(options.dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });

  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${url}${path}`);
    const body = (await response.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`Prometheus ${path}: ${body.error ?? ''}`);
    return body.data;
  };
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.race([exited, sleep(10_000)]);
    if (child.exitCode === null) child.kill('SIGKILL');
    log.end();
  };

  const deadline = Date.now() + 30_000;
  for (;;) {
    const ready = await fetch(`${url}/-/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`Prometheus did not start; see ${join(options.dir, 'prometheus.log')}`);
    }
    await sleep(200);
  }
  return {
    url,
    setTarget: async (job, address) => {
      // Written whole, then renamed, so discovery never reads half a file.
      const file = targetsFile(job);
      await writeFile(`${file}.tmp`, JSON.stringify([{ targets: [address] }]));
      await rename(`${file}.tmp`, file);
    },
    query: async (expr) =>
      (
        await api<{ resultType: string; result: PromSample[] }>(
          `/api/v1/query?query=${encodeURIComponent(expr)}`,
        )
      ).result,
    rules: async () =>
      (await api<{ groups: { rules: PromRule[] }[] }>('/api/v1/rules')).groups.flatMap(
        (group) => group.rules,
      ),
    stop,
  };
}
