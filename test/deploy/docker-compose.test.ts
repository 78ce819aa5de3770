/**
 * docker-compose.yml cannot run on this machine (no Docker engine), so this checks what can be
 * checked without one: every driftwatch service it builds exists in services/, every service in
 * services/ is in it, and every variable it sets for them is one their config code reads.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { detectorEnv } from '@driftwatch/detector';
import { inferenceEnv } from '@driftwatch/inference';
import { joinerEnv } from '@driftwatch/joiner';
import { trainerEnv } from '@driftwatch/trainer';
import { parse } from 'yaml';

import { repoRoot } from '../support/stack-cli.js';

interface ComposeService {
  image?: string;
  build?: { context: string; args?: Record<string, string> };
  environment?: Record<string, unknown>;
  volumes?: string[];
}

const compose = parse(readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8'), {
  merge: true,
}) as { services: Record<string, ComposeService> };

const envByService: Record<string, Record<string, unknown>> = {
  inference: inferenceEnv,
  joiner: joinerEnv,
  detector: detectorEnv,
  trainer: trainerEnv,
};

const built = Object.entries(compose.services).filter(([, service]) => service.build);

describe('docker-compose.yml', () => {
  it('builds exactly the services in services/', () => {
    const inRepo = readdirSync(join(repoRoot, 'services')).sort();
    const inCompose = built.map(([, service]) => service.build?.args?.['SERVICE'] ?? '').sort();
    assert.deepEqual(inCompose, inRepo);
    assert.deepEqual(Object.keys(envByService).sort(), inRepo);
  });

  for (const [name, service] of built) {
    it(`sets only variables the ${name} service reads`, () => {
      const serviceName = service.build?.args?.['SERVICE'] ?? '';
      const reads = new Set(Object.keys(envByService[serviceName] ?? {}));
      assert.ok(reads.size > 0, `${serviceName} has a config shape`);
      const unknown = Object.keys(service.environment ?? {}).filter(
        (variable) => !reads.has(variable),
      );
      assert.deepEqual(unknown, [], `${name} sets variables its config never reads`);
    });
  }

  it('carries the infrastructure: Kafka in KRaft mode, Schema Registry, Redis, Prometheus, Grafana', () => {
    const images = Object.values(compose.services).map((service) => service.image ?? '');
    for (const expected of [
      'apache/kafka',
      'cp-schema-registry',
      'redis',
      'prom/prometheus',
      'grafana/grafana',
    ]) {
      assert.ok(
        images.some((image) => image.includes(expected)),
        `an image for ${expected}`,
      );
    }
    assert.equal(
      compose.services['kafka']?.environment?.['KAFKA_PROCESS_ROLES'],
      'broker,controller',
    );
  });

  it('mounts only files that exist in the repo', () => {
    for (const service of Object.values(compose.services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0] ?? '';
        if (source.startsWith('./'))
          assert.ok(existsSync(join(repoRoot, source)), `${source} exists`);
      }
    }
  });
});
