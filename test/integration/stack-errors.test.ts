import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';

import { readStackConfig } from '@driftwatch/stack';

import { freePort, isolatedStackEnv, runStackCli } from '../support/stack-cli.js';

function listen(port: number): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer((socket) => socket.destroy());
    server.listen(port, '127.0.0.1', () => {
      resolve(server);
    });
  });
}

describe('stack errors a newcomer can act on', { timeout: 180_000 }, () => {
  const environments: Record<string, string>[] = [];
  const isolated = async (): Promise<Record<string, string>> => {
    const env = await isolatedStackEnv();
    environments.push(env);
    return env;
  };
  after(async () => {
    // A failing assertion must not leave servers behind.
    await Promise.all(environments.map((env) => runStackCli(['down', '--wipe'], env)));
  });

  it('refuses a Kafka port held by something else, names the holder, and starts nothing', async () => {
    const env = await isolated();
    const port = await freePort();
    const squatter = await listen(port);
    try {
      const result = await runStackCli(['up'], { ...env, KAFKA_BROKERS: `127.0.0.1:${port}` });
      assert.equal(result.code, 1);
      assert.match(
        result.stderr,
        new RegExp(
          `port ${port} \\(Kafka broker\\) is already in use by node \\(pid ${process.pid}\\)`,
        ),
      );
      assert.match(result.stderr, /KAFKA_BROKERS=127\.0\.0\.1:19092/);
      const status = await runStackCli(['status', '--json'], env);
      assert.equal(
        (JSON.parse(status.stdout) as { redis: { state: string } }).redis.state,
        'stopped',
      );
    } finally {
      squatter.close();
    }
  });

  it('refuses a Redis port held by something else', async () => {
    const env = await isolated();
    const port = await freePort();
    const squatter = await listen(port);
    try {
      const result = await runStackCli(['up'], { ...env, REDIS_URL: `redis://127.0.0.1:${port}` });
      assert.equal(result.code, 1);
      assert.match(result.stderr, new RegExp(`port ${port} \\(Redis\\) is already in use`));
      assert.match(result.stderr, /REDIS_URL=redis:\/\/127\.0\.0\.1:16379/);
    } finally {
      squatter.close();
    }
  });

  it('refuses a schema registry port held by something else, and starts nothing', async () => {
    const env = await isolated();
    const port = await freePort();
    const squatter = await listen(port);
    try {
      const result = await runStackCli(['up', '--with-registry'], {
        ...env,
        DRIFTWATCH_SCHEMA_REGISTRY_PORT: String(port),
      });
      assert.equal(result.code, 1);
      assert.match(
        result.stderr,
        new RegExp(
          `port ${port} \\(schema registry\\) is already in use by node \\(pid ${process.pid}\\)`,
        ),
      );
      assert.match(result.stderr, /DRIFTWATCH_SCHEMA_REGISTRY_PORT=18081/);
      const status = await runStackCli(['status', '--json'], env);
      assert.equal(
        (JSON.parse(status.stdout) as { redis: { state: string } }).redis.state,
        'stopped',
      );
    } finally {
      squatter.close();
    }
  });

  it('says Java is missing, and how to get it', async () => {
    const env = await isolated();
    const result = await runStackCli(['up'], { ...env, PATH: '/nonexistent', JAVA_HOME: '' });
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /Java 17 or newer is needed to run the Kafka broker, and `java` could not be run/,
    );
    assert.match(result.stderr, /openjdk-17-jre-headless/);
  });

  it('says when Java is too old', async () => {
    const env = await isolated();
    const javaHome = await mkdtemp(join(tmpdir(), 'old-java-'));
    await mkdir(join(javaHome, 'bin'));
    await writeFile(
      join(javaHome, 'bin', 'java'),
      '#!/bin/sh\necho \'java version "1.8.0_392"\' >&2\n',
    );
    await chmod(join(javaHome, 'bin', 'java'), 0o755);
    const result = await runStackCli(['up'], { ...env, JAVA_HOME: javaHome });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /says Java 8/);
  });

  it('says Maven Central is unreachable, with the network error, when the repository cannot be reached', async () => {
    const env = await isolated();
    const scratch = await mkdtemp(join(tmpdir(), 'maven-unreachable-'));
    const deadPort = await freePort();
    await writeFile(
      join(scratch, 'settings.xml'),
      `<settings><mirrors><mirror><id>unreachable</id><mirrorOf>*</mirrorOf><url>http://127.0.0.1:${deadPort}/maven2</url></mirror></mirrors></settings>`,
    );
    const result = await runStackCli(['up'], {
      ...env,
      DRIFTWATCH_CACHE_DIR: join(scratch, 'cache'),
      DRIFTWATCH_MAVEN_ARGS: `-s ${join(scratch, 'settings.xml')} -Dmaven.repo.local=${join(scratch, 'repository')}`,
    });
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /could not download Apache Kafka 4\.4\.0 from Maven Central: .*Connection refused/,
    );
    assert.match(result.stderr, /repo\.maven\.apache\.org is reachable/);
    const status = await runStackCli(['status', '--json'], env);
    assert.equal(
      (JSON.parse(status.stdout) as { redis: { state: string } }).redis.state,
      'stopped',
    );
  });

  it('says Maven Central is unreachable when building the schema registry, and starts nothing', async () => {
    const env = await isolated();
    const scratch = await mkdtemp(join(tmpdir(), 'maven-unreachable-registry-'));
    // The broker's jars as the machine has them, so that only the registry needs the network.
    const kafkaDir = dirname(readStackConfig(process.env).kafka.libsDir);
    await mkdir(join(scratch, 'cache'));
    await symlink(kafkaDir, join(scratch, 'cache', basename(kafkaDir)));
    const deadPort = await freePort();
    await writeFile(
      join(scratch, 'settings.xml'),
      `<settings><mirrors><mirror><id>unreachable</id><mirrorOf>*</mirrorOf><url>http://127.0.0.1:${deadPort}/maven2</url></mirror></mirrors></settings>`,
    );
    const result = await runStackCli(['up', '--with-registry'], {
      ...env,
      DRIFTWATCH_CACHE_DIR: join(scratch, 'cache'),
      DRIFTWATCH_MAVEN_ARGS: `-s ${join(scratch, 'settings.xml')} -Dmaven.repo.local=${join(scratch, 'repository')}`,
    });
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /could not download the schema registry \(Apicurio Registry 2\.4\.2\.Final\) from Maven Central: .*Connection refused/,
    );
    const status = await runStackCli(['status', '--json'], env);
    const report = JSON.parse(status.stdout) as Record<string, { state: string }>;
    assert.equal(report['redis']?.state, 'stopped');
    assert.equal(report['kafka']?.state, 'stopped');
  });

  it('names a Kafka version Maven Central does not have', async () => {
    const env = await isolated();
    const scratch = await mkdtemp(join(tmpdir(), 'maven-version-'));
    const result = await runStackCli(['up'], {
      ...env,
      DRIFTWATCH_CACHE_DIR: scratch,
      DRIFTWATCH_KAFKA_VERSION: '4.0.99',
    });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /Maven Central has no Apache Kafka 4\.0\.99/);
  });

  it('names a malformed variable', async () => {
    const result = await runStackCli(['up'], { KAFKA_BROKERS: 'localhost' });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /KAFKA_BROKERS: "localhost" is not host:port/);
  });
});
