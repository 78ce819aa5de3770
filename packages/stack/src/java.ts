import { spawnSync } from 'node:child_process';

import { StackError } from './errors.js';

const minimumJava = 17;

/**
 * Kafka 4 brokers need Java 17+ (and the schema registry runs on the same Java); say so plainly
 * rather than letting the JVM fail cryptically. `purpose` names what Java runs, for the message.
 */
export function requireJava(java: string, purpose = 'the Kafka broker'): number {
  const result = spawnSync(java, ['-version'], { encoding: 'utf8' });
  if (result.error) {
    throw new StackError(
      'DW_STACK_NO_JAVA',
      `Java ${minimumJava} or newer is needed to run ${purpose}, and \`${java}\` could not be run (${result.error.message}). ` +
        `Install a JDK (Debian/Ubuntu: apt-get install openjdk-17-jre-headless) or set JAVA_HOME to one.`,
    );
  }
  const major = parseJavaMajor(`${result.stderr}${result.stdout}`);
  if (major === undefined || major < minimumJava) {
    throw new StackError(
      'DW_STACK_NO_JAVA',
      `Java ${minimumJava} or newer is needed to run ${purpose}; \`${java} -version\` says ${major === undefined ? 'something unrecognised' : `Java ${major}`}. ` +
        `Install JDK 17+ (Debian/Ubuntu: apt-get install openjdk-17-jre-headless) or set JAVA_HOME to one.`,
    );
  }
  return major;
}

/** `openjdk version "17.0.15"` → 17; `java version "1.8.0_392"` → 8. */
export function parseJavaMajor(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 ? Number(match[2]) : first;
}
