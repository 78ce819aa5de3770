import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';

import { StackError } from './errors.js';
import { resourcesDir } from './stack-config.js';

const completeMarker = '.complete';
const dependencyPluginVersion = '3.11.0';

/**
 * Resolves the broker's jars from Maven Central into a cache outside the repo, once per Kafka
 * version per machine. Later runs find the marker and touch the network not at all.
 */
export async function ensureKafkaClasspath(
  libsDir: string,
  version: string,
  mavenArgs: readonly string[],
  log: (message: string) => void,
): Promise<string> {
  if (existsSync(join(libsDir, completeMarker))) return libsDir;
  requireMaven();
  log(
    `fetching Apache Kafka ${version} (org.apache.kafka:kafka_2.13) from Maven Central into ${libsDir} …`,
  );
  const staging = `${libsDir}.partial-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(dirname(libsDir), { recursive: true });
  const output = await runMaven([
    '-B',
    // Re-ask the repository about artifacts an earlier, failed attempt found missing.
    '-U',
    ...mavenArgs,
    '-f',
    join(resourcesDir, 'kafka-classpath.pom.xml'),
    `-Dkafka.version=${version}`,
    // Fully qualified: with a bare prefix an unreachable repository reads as "No plugin found".
    `org.apache.maven.plugins:maven-dependency-plugin:${dependencyPluginVersion}:copy-dependencies`,
    `-DoutputDirectory=${staging}`,
    '-DincludeScope=runtime',
  ]);
  if (output.code !== 0) {
    await rm(staging, { recursive: true, force: true });
    throw mavenFailure(output.text, version);
  }
  await writeFile(join(staging, completeMarker), `${version}\n`);
  await rm(libsDir, { recursive: true, force: true });
  await rename(staging, libsDir);
  return libsDir;
}

function requireMaven(): void {
  const result = spawnSync('mvn', ['-v'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new StackError(
      'DW_STACK_NO_MAVEN',
      'Maven is needed once, to fetch the Kafka broker from Maven Central, and `mvn` could not be run. ' +
        'Install it (Debian/Ubuntu: apt-get install maven) and run the command again.',
    );
  }
}

function runMaven(args: string[]): Promise<{ code: number; text: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('mvn', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      resolve({ code: code ?? 1, text });
    });
  });
}

/** Turns Maven's wall of text into the one thing the user must fix. */
export function mavenFailure(output: string, version: string): StackError {
  const lines = stripVTControlCharacters(output)
    .split('\n')
    .map((line) => line.trim());
  const errorLine =
    lines.find((line) => line.startsWith('[ERROR]'))?.replace(/^\[ERROR\]\s*/, '') ?? '';
  if (
    /Could not find artifact org\.apache\.kafka:kafka_2\.13|org\.apache\.kafka:kafka_2\.13:jar:\S+ was not found/.test(
      output,
    )
  ) {
    return new StackError(
      'DW_STACK_KAFKA_VERSION_UNKNOWN',
      `Maven Central has no Apache Kafka ${version} (org.apache.kafka:kafka_2.13:${version}). Set DRIFTWATCH_KAFKA_VERSION to a released 4.x version, e.g. 4.4.0.`,
    );
  }
  if (
    /UnknownHost|Unknown host|Name or service not known|Temporary failure in name resolution|Connection refused|Connect to .* failed|timed out|Network is unreachable|No route to host|Could not transfer|PKIX path/i.test(
      output,
    )
  ) {
    return new StackError(
      'DW_STACK_MAVEN_UNREACHABLE',
      `could not download Apache Kafka ${version} from Maven Central: ${errorLine || 'network error'}. ` +
        'Check that https://repo.maven.apache.org is reachable from this machine; a proxy or mirror goes in ~/.m2/settings.xml. ' +
        'Once downloaded, the broker is cached and no network is needed.',
    );
  }
  return new StackError(
    'DW_STACK_PROVISION_FAILED',
    `Maven failed to resolve Apache Kafka ${version}: ${errorLine || lines.slice(-5).join(' ')}`,
  );
}
