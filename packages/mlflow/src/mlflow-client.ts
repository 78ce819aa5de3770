import { MlflowError } from './errors.js';

/** An MLflow run as this client reads it: its id, where its artifacts go, and its tags. */
export interface MlflowRun {
  runId: string;
  artifactUri: string;
  tags: Readonly<Record<string, string>>;
}

export interface MlflowClientOptions {
  /** The tracking server, e.g. `http://127.0.0.1:5000`. */
  trackingUri: string;
  /** Per request (default 10 s): an MLflow that hangs must not hold whoever logs. */
  timeoutMs?: number;
}

/**
 * The part of MLflow's REST API (`/api/2.0/mlflow/…`, and `/api/2.0/mlflow-artifacts/…` for
 * artifacts, which `mlflow server` proxies by default) that logging model versions needs. Plain
 * `fetch`: there is no maintained npm client. Every failure is an `MlflowError`.
 *
 * @see https://mlflow.org/docs/latest/rest-api.html
 */
export class MlflowClient {
  readonly trackingUri: string;
  readonly #timeoutMs: number;

  constructor(options: MlflowClientOptions) {
    this.trackingUri = options.trackingUri.replace(/\/+$/, '');
    this.#timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** The experiment's id, creating it when it does not exist (a concurrent creation is fine). */
  async experimentId(name: string): Promise<string> {
    const found = await this.#experimentByName(name);
    if (found !== undefined) return found;
    try {
      const created = await this.#call('POST', 'experiments/create', { name });
      return text(created, 'experiment_id');
    } catch (error) {
      if (isErrorCode(error, 'RESOURCE_ALREADY_EXISTS')) {
        const again = await this.#experimentByName(name);
        if (again !== undefined) return again;
      }
      throw error;
    }
  }

  /** Every active run of the experiment whose tags match `filter` (MLflow's search syntax). */
  async searchRuns(experimentId: string, filter: string): Promise<MlflowRun[]> {
    const runs: MlflowRun[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.#call('POST', 'runs/search', {
        experiment_ids: [experimentId],
        filter,
        max_results: 1000,
        ...(pageToken ? { page_token: pageToken } : {}),
      });
      for (const run of array(page, 'runs')) runs.push(parseRun(run));
      pageToken = optionalText(page, 'next_page_token');
    } while (pageToken);
    return runs;
  }

  async createRun(options: {
    experimentId: string;
    runName: string;
    startTime: number;
    tags: Readonly<Record<string, string>>;
  }): Promise<MlflowRun> {
    const answer = await this.#call('POST', 'runs/create', {
      experiment_id: options.experimentId,
      run_name: options.runName,
      start_time: options.startTime,
      tags: entries(options.tags),
    });
    return parseRun(field(answer, 'run'));
  }

  /** Params, metrics (at `timestamp`, step 0) and tags in one call. */
  async logBatch(
    runId: string,
    batch: {
      params: Readonly<Record<string, string>>;
      metrics: Readonly<Record<string, number>>;
      tags?: Readonly<Record<string, string>>;
      timestamp: number;
    },
  ): Promise<void> {
    await this.#call('POST', 'runs/log-batch', {
      run_id: runId,
      params: entries(batch.params),
      metrics: Object.entries(batch.metrics)
        .filter(([, value]) => Number.isFinite(value))
        .map(([key, value]) => ({ key, value, timestamp: batch.timestamp, step: 0 })),
      tags: entries(batch.tags ?? {}),
    });
  }

  async setTag(runId: string, key: string, value: string): Promise<void> {
    await this.#call('POST', 'runs/set-tag', { run_id: runId, key, value });
  }

  async finishRun(runId: string, endTime: number): Promise<void> {
    await this.#call('POST', 'runs/update', {
      run_id: runId,
      status: 'FINISHED',
      end_time: endTime,
    });
  }

  async deleteRun(runId: string): Promise<void> {
    await this.#call('POST', 'runs/delete', { run_id: runId });
  }

  /**
   * Uploads `bytes` as `path` under the run's artifacts, through the server's artifact proxy
   * (`mlflow-artifacts:/…` artifact URIs, the default of `mlflow server`).
   */
  async uploadArtifact(run: MlflowRun, path: string, bytes: Uint8Array): Promise<void> {
    const prefix = 'mlflow-artifacts:/';
    if (!run.artifactUri.startsWith(prefix)) {
      throw new MlflowError(
        'DW_MLFLOW_BAD_RESPONSE',
        `run ${run.runId} keeps artifacts at ${run.artifactUri}, not behind the server's artifact proxy (start mlflow server with --serve-artifacts, its default)`,
        { retriable: false },
      );
    }
    const where = `${run.artifactUri.slice(prefix.length).replace(/^\/+/, '')}/${path}`;
    await this.#request('PUT', `/api/2.0/mlflow-artifacts/artifacts/${where}`, bytes);
  }

  /** The registered model's name, creating it when it does not exist. */
  async ensureRegisteredModel(name: string): Promise<void> {
    try {
      await this.#call('POST', 'registered-models/create', { name });
    } catch (error) {
      if (!isErrorCode(error, 'RESOURCE_ALREADY_EXISTS')) throw error;
    }
  }

  /** The registered model's version made from `runId`, registering one when there is none. */
  async modelVersionOfRun(name: string, run: MlflowRun): Promise<string> {
    const found = await this.#call(
      'GET',
      `model-versions/search?filter=${encodeURIComponent(`name='${quoted(name)}' and run_id='${quoted(run.runId)}'`)}`,
    );
    const existing = array(found, 'model_versions')[0];
    if (existing !== undefined) return text(existing, 'version');
    const created = await this.#call('POST', 'model-versions/create', {
      name,
      source: run.artifactUri,
      run_id: run.runId,
    });
    return text(field(created, 'model_version'), 'version');
  }

  /** The registered version an alias points at, or undefined when it points nowhere. */
  async aliasVersion(name: string, alias: string): Promise<string | undefined> {
    try {
      const answer = await this.#call(
        'GET',
        `registered-models/alias?name=${encodeURIComponent(name)}&alias=${encodeURIComponent(alias)}`,
      );
      return text(field(answer, 'model_version'), 'version');
    } catch (error) {
      if (
        isErrorCode(error, 'RESOURCE_DOES_NOT_EXIST') ||
        isErrorCode(error, 'INVALID_PARAMETER_VALUE')
      ) {
        return undefined;
      }
      throw error;
    }
  }

  async setAlias(name: string, alias: string, version: string): Promise<void> {
    await this.#call('POST', 'registered-models/alias', { name, alias, version });
  }

  async #experimentByName(name: string): Promise<string | undefined> {
    try {
      const answer = await this.#call(
        'GET',
        `experiments/get-by-name?experiment_name=${encodeURIComponent(name)}`,
      );
      return text(field(answer, 'experiment'), 'experiment_id');
    } catch (error) {
      if (isErrorCode(error, 'RESOURCE_DOES_NOT_EXIST')) return undefined;
      throw error;
    }
  }

  async #call(method: 'GET' | 'POST', endpoint: string, body?: unknown): Promise<unknown> {
    return this.#request(
      method,
      `/api/2.0/mlflow/${endpoint}`,
      body === undefined ? undefined : JSON.stringify(body),
    );
  }

  async #request(method: string, path: string, body?: string | Uint8Array): Promise<unknown> {
    const url = `${this.trackingUri}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        ...(body === undefined
          ? {}
          : {
              body,
              headers: {
                'content-type':
                  typeof body === 'string' ? 'application/json' : 'application/octet-stream',
              },
            }),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      throw new MlflowError(
        'DW_MLFLOW_UNREACHABLE',
        `MLflow at ${this.trackingUri} did not answer ${method} ${path}: ${String(error)}`,
        {
          retriable: true,
          cause: error,
        },
      );
    }
    const raw = await response.text().catch(() => '');
    let parsed: unknown;
    try {
      parsed = raw === '' ? {} : JSON.parse(raw);
    } catch {
      parsed = { message: raw.slice(0, 200) };
    }
    if (!response.ok) {
      const errorCode = optionalText(parsed, 'error_code');
      const message = optionalText(parsed, 'message') ?? raw.slice(0, 200);
      throw new MlflowError(
        'DW_MLFLOW_REFUSED',
        `MLflow refused ${method} ${path}: ${response.status} ${errorCode ?? ''} ${message}`.trim(),
        {
          status: response.status,
          ...(errorCode === undefined ? {} : { errorCode }),
          retriable: response.status >= 500 || response.status === 429,
        },
      );
    }
    return parsed;
  }
}

function isErrorCode(error: unknown, code: string): boolean {
  return error instanceof MlflowError && error.errorCode === code;
}

/** A single-quoted string in MLflow's search syntax. */
function quoted(value: string): string {
  return value.replace(/'/g, "\\'");
}

function entries(record: Readonly<Record<string, string>>): { key: string; value: string }[] {
  return Object.entries(record).map(([key, value]) => ({ key, value }));
}

function parseRun(value: unknown): MlflowRun {
  const info = field(value, 'info');
  const data = (value as { data?: unknown }).data;
  const tags: Record<string, string> = {};
  for (const tag of data === undefined ? [] : array(data, 'tags')) {
    tags[text(tag, 'key')] = text(tag, 'value');
  }
  return { runId: text(info, 'run_id'), artifactUri: text(info, 'artifact_uri'), tags };
}

function field(value: unknown, name: string): unknown {
  const inner =
    typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)[name]
      : undefined;
  if (inner === undefined || inner === null) {
    throw new MlflowError('DW_MLFLOW_BAD_RESPONSE', `MLflow's answer has no "${name}"`, {
      retriable: false,
    });
  }
  return inner;
}

function text(value: unknown, name: string): string {
  const inner = field(value, name);
  if (typeof inner !== 'string') {
    throw new MlflowError('DW_MLFLOW_BAD_RESPONSE', `MLflow's "${name}" is not text`, {
      retriable: false,
    });
  }
  return inner;
}

function optionalText(value: unknown, name: string): string | undefined {
  const inner =
    typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)[name]
      : undefined;
  return typeof inner === 'string' && inner !== '' ? inner : undefined;
}

/** An absent list is empty: MLflow leaves out empty repeated fields. */
function array(value: unknown, name: string): unknown[] {
  const inner =
    typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)[name]
      : undefined;
  return Array.isArray(inner) ? inner : [];
}
