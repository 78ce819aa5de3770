import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import { StackError } from './errors.js';
import { isMavenNetworkFailure, mavenErrorLine, requireMaven, runMaven } from './maven.js';
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
  requireMaven('fetch the Kafka broker from Maven Central');
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

/** Turns Maven's wall of text into the one thing the user must fix. */
export function mavenFailure(output: string, version: string): StackError {
  const errorLine = mavenErrorLine(output);
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
  if (isMavenNetworkFailure(output)) {
    return new StackError(
      'DW_STACK_MAVEN_UNREACHABLE',
      `could not download Apache Kafka ${version} from Maven Central: ${errorLine}. ` +
        'Check that https://repo.maven.apache.org is reachable from this machine; a proxy or mirror goes in ~/.m2/settings.xml. ' +
        'Once downloaded, the broker is cached and no network is needed.',
    );
  }
  return new StackError(
    'DW_STACK_PROVISION_FAILED',
    `Maven failed to resolve Apache Kafka ${version}: ${errorLine}`,
  );
}
