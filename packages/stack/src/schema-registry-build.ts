import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import { StackError } from './errors.js';
import { isMavenNetworkFailure, mavenErrorLine, requireMaven, runMaven } from './maven.js';
import { resourcesDir } from './stack-config.js';

/** What Quarkus's build names the runnable jar (next to lib/), given the pom's finalName. */
export const schemaRegistryRunnerJar = 'schema-registry-runner.jar';

const completeMarker = '.complete';

/**
 * Builds the schema registry (Apicurio Registry, augmented by Quarkus) into a cache outside the
 * repo, once per machine: about 210 MB from Maven Central and about a minute of CPU. Later runs
 * find the marker and touch the network not at all. Resolves to the directory holding
 * {@link schemaRegistryRunnerJar} and its lib/.
 */
export async function ensureSchemaRegistryBuild(
  buildDir: string,
  version: string,
  mavenArgs: readonly string[],
  log: (message: string) => void,
): Promise<string> {
  if (existsSync(join(buildDir, completeMarker))) return buildDir;
  requireMaven('build the schema registry (Apicurio Registry) from Maven Central');
  log(
    `building the schema registry (io.apicurio:apicurio-registry-app:${version}) from Maven Central into ${buildDir}; ` +
      'once per machine, a few minutes …',
  );
  const staging = `${buildDir}.partial-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(dirname(buildDir), { recursive: true });
  const output = await runMaven([
    '-B',
    // Re-ask the repository about artifacts an earlier, failed attempt found missing.
    '-U',
    '-gs',
    join(resourcesDir, 'schema-registry.maven-settings.xml'),
    ...mavenArgs,
    '-f',
    join(resourcesDir, 'schema-registry.pom.xml'),
    `-Dapicurio.version=${version}`,
    `-Dregistry.build.directory=${staging}`,
    // The project has no sources or tests of its own; only Quarkus's build step matters.
    '-Dmaven.test.skip=true',
    'package',
  ]);
  if (output.code !== 0) {
    await rm(staging, { recursive: true, force: true });
    throw schemaRegistryBuildFailure(output.text, version);
  }
  if (!existsSync(join(staging, schemaRegistryRunnerJar))) {
    await rm(staging, { recursive: true, force: true });
    throw new StackError(
      'DW_STACK_PROVISION_FAILED',
      `Maven built the schema registry but no ${schemaRegistryRunnerJar} came out of it: ${mavenErrorLine(output.text)}`,
    );
  }
  await writeFile(join(staging, completeMarker), `${version}\n`);
  await rm(buildDir, { recursive: true, force: true });
  await rename(staging, buildDir);
  return buildDir;
}

/** Turns Maven's wall of text into the one thing the user must fix. */
export function schemaRegistryBuildFailure(output: string, version: string): StackError {
  const errorLine = mavenErrorLine(output);
  if (isMavenNetworkFailure(output)) {
    return new StackError(
      'DW_STACK_MAVEN_UNREACHABLE',
      `could not download the schema registry (Apicurio Registry ${version}) from Maven Central: ${errorLine}. ` +
        'Check that https://repo.maven.apache.org is reachable from this machine; a proxy or mirror goes in ~/.m2/settings.xml. ' +
        'Once built, the registry is cached and no network is needed.',
    );
  }
  return new StackError(
    'DW_STACK_PROVISION_FAILED',
    `Maven failed to build the schema registry (Apicurio Registry ${version}): ${errorLine}`,
  );
}
