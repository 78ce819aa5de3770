import type { Redis, Result } from 'ioredis';

import { applyJoinScript } from './apply-join-script.js';
import { JoinStoreUnavailableError } from './errors.js';
import type { JoinEffect, JoinSide } from './join-lifecycle.js';
import { sweepExpiredScript } from './sweep-expired-script.js';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** KEYS: the deadline set, then each record's pair; ARGV: ttl, deadline, then 4 per record. */
    driftwatchApplyJoins(
      numberOfKeys: number,
      ...keysAndArgs: (string | number | Buffer)[]
    ): Result<[JoinEffect, string?, string?][], Context>;
    driftwatchSweepExpired(
      deadlinesKey: string,
      now: number,
      limit: number,
      pairKeyPrefix: string,
    ): Result<[number, number, number], Context>;
  }
}

/** Records per script call: bounds how long one call holds Redis (a few milliseconds). */
const MAX_RECORDS_PER_CALL = 500;

export interface JoinInput {
  side: JoinSide;
  model: string;
  id: string;
  /**
   * The message as JSON, text or its UTF-8 bytes: stored, and read back to build the joined
   * record.
   */
  payload: string | Buffer;
  /** Where the record sits in Kafka (topic/partition@offset), to recognise its replay. */
  coordinate: string;
}

export interface JoinOutcome {
  effect: JoinEffect;
  /** Both set when effect is `emit`. */
  predictionJson?: string;
  labelJson?: string;
}

export interface ExpirySweep {
  expiredPredictions: number;
  orphanLabels: number;
}

/**
 * Join state in Redis. Keys (documented in the service's README):
 *   <prefix>join:{<model>}:<id>         hash  p, l, by       expires ttl + grace after last write
 *   <prefix>join:{<model>}:deadlines    zset  p:<id>|l:<id>  score = deadline (epoch ms)
 *   <prefix>join:models                 set   model names, for the sweeper
 * The `{<model>}` hash tag keeps a pair and its model's deadline set in one cluster slot, so the
 * Lua scripts stay atomic on Redis Cluster too.
 */
export class RedisJoinStore {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #ttlMs: number;
  readonly #graceMs: number;
  readonly #knownModels = new Set<string>();

  constructor(redis: Redis, options: { keyPrefix: string; ttlMs: number; graceMs: number }) {
    this.#redis = redis;
    this.#prefix = options.keyPrefix;
    this.#ttlMs = options.ttlMs;
    this.#graceMs = options.graceMs;
    // The number of keys varies with the batch: given first in each call.
    redis.defineCommand('driftwatchApplyJoins', { lua: applyJoinScript });
    redis.defineCommand('driftwatchSweepExpired', { numberOfKeys: 1, lua: sweepExpiredScript });
  }

  pairKey(model: string, id: string): string {
    return `${this.#prefix}join:{${model}}:${id}`;
  }

  deadlinesKey(model: string): string {
    return `${this.#prefix}join:{${model}}:deadlines`;
  }

  get modelsKey(): string {
    return `${this.#prefix}join:models`;
  }

  /**
   * Applies a batch in order, in one round trip: one script call per model (at most
   * `MAX_RECORDS_PER_CALL` records each, so no call holds Redis for long); each pair's transition
   * is atomic, and a pair's records are applied in their batch order.
   */
  async apply(inputs: readonly JoinInput[], now: number): Promise<JoinOutcome[]> {
    if (inputs.length === 0) return [];
    const pipeline = this.#redis.pipeline();
    const newModels = [...new Set(inputs.map((input) => input.model))].filter(
      (model) => !this.#knownModels.has(model),
    );
    if (newModels.length > 0) pipeline.sadd(this.modelsKey, ...newModels);
    const byModel = new Map<string, number[]>();
    for (const [index, input] of inputs.entries()) {
      const indices = byModel.get(input.model);
      if (indices) indices.push(index);
      else byModel.set(input.model, [index]);
    }
    const calls: number[][] = [];
    for (const [model, indices] of byModel) {
      for (let start = 0; start < indices.length; start += MAX_RECORDS_PER_CALL) {
        const call = indices.slice(start, start + MAX_RECORDS_PER_CALL);
        const keys = [this.deadlinesKey(model)];
        const args: (string | number | Buffer)[] = [this.#ttlMs + this.#graceMs, now + this.#ttlMs];
        for (const index of call) {
          const input = inputs[index] as JoinInput;
          keys.push(this.pairKey(model, input.id));
          args.push(
            input.side === 'prediction' ? 'p' : 'l',
            input.payload,
            input.coordinate,
            input.id,
          );
        }
        pipeline.driftwatchApplyJoins(keys.length, ...keys, ...args);
        calls.push(call);
      }
    }
    const replies = await this.#exec(pipeline);
    for (const model of newModels) this.#knownModels.add(model);
    const outcomes = new Array<JoinOutcome>(inputs.length);
    replies.slice(newModels.length > 0 ? 1 : 0).forEach((reply, call) => {
      (reply as [JoinEffect, string?, string?][]).forEach(
        ([effect, predictionJson, labelJson], k) => {
          const index = calls[call]?.[k];
          if (index === undefined) return;
          outcomes[index] =
            effect === 'emit' && predictionJson !== undefined && labelJson !== undefined
              ? { effect, predictionJson, labelJson }
              : { effect };
        },
      );
    });
    return outcomes;
  }

  /** Forgets pairs past their deadline that never joined, counting each exactly once. */
  async sweepExpired(now: number, limit = 1000): Promise<ExpirySweep> {
    const total: ExpirySweep = { expiredPredictions: 0, orphanLabels: 0 };
    for (const model of await this.#redis.smembers(this.modelsKey)) {
      for (;;) {
        const [predictions, labels, examined] = await this.#redis.driftwatchSweepExpired(
          this.deadlinesKey(model),
          now,
          limit,
          `${this.#prefix}join:{${model}}:`,
        );
        total.expiredPredictions += predictions;
        total.orphanLabels += labels;
        if (examined < limit) break;
      }
    }
    return total;
  }

  /** Pairs waiting for their other half, across models: the join backlog. */
  async backlog(): Promise<number> {
    const models = await this.#redis.smembers(this.modelsKey);
    const pipeline = this.#redis.pipeline();
    for (const model of models) pipeline.zcard(this.deadlinesKey(model));
    const counts = await this.#exec(pipeline);
    return counts.reduce<number>((sum, count) => sum + Number(count), 0);
  }

  async #exec(pipeline: ReturnType<Redis['pipeline']>): Promise<unknown[]> {
    let replies: [Error | null, unknown][] | null;
    try {
      replies = await pipeline.exec();
    } catch (error) {
      throw new JoinStoreUnavailableError(`Redis unavailable: ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (!replies)
      throw new JoinStoreUnavailableError('Redis returned no replies (connection closed)');
    return replies.map(([error, value]) => {
      if (!error) return value;
      // A ReplyError is Redis refusing the command itself (a script bug): retrying cannot help.
      if (error.name === 'ReplyError') throw error;
      throw new JoinStoreUnavailableError(`Redis unavailable: ${error.message}`, { cause: error });
    });
  }
}
