import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { isMavenNetworkFailure, mavenErrorLine } from './maven.js';

// Maven 3.8's output, abridged, for a repository nobody listens on.
const unreachable = `[INFO] Scanning for projects...
[ERROR] [ERROR] Some problems were encountered while processing the POMs:
[ERROR] Non-resolvable import POM: Could not transfer artifact io.quarkus:quarkus-bom:pom:2.16.4.Final from/to unreachable (http://127.0.0.1:39029/maven2): transfer failed for http://127.0.0.1:39029/maven2/io/quarkus/quarkus-bom/2.16.4.Final/quarkus-bom-2.16.4.Final.pom @ line 40, column 19
 @
[ERROR] The build could not read 1 project -> [Help 1]
[ERROR]
[ERROR]   The project dev.driftwatch:schema-registry:1 (/repo/packages/stack/resources/schema-registry.pom.xml) has 1 error
[ERROR]     Non-resolvable import POM: Could not transfer artifact io.quarkus:quarkus-bom:pom:2.16.4.Final from/to unreachable (http://127.0.0.1:39029/maven2): transfer failed for http://127.0.0.1:39029/maven2/io/quarkus/quarkus-bom/2.16.4.Final/quarkus-bom-2.16.4.Final.pom @ line 40, column 19: Connect to 127.0.0.1:39029 [/127.0.0.1] failed: Connection refused -> [Help 2]
[ERROR]
[ERROR] To see the full stack trace of the errors, re-run Maven with the -e switch.
[ERROR] Re-run Maven using the -X switch to enable full debug logging.
`;

// An unreadable POM: the cause is on the [FATAL] line only.
const unparseable = `[ERROR] [ERROR] Some problems were encountered while processing the POMs:
[FATAL] Non-parseable POM /repo/pom.xml: in comment after two dashes (--) next character must be > not   (position: START_DOCUMENT seen ...) @ line 4, column 77
 @
[ERROR] The build could not read 1 project -> [Help 1]
`;

describe('mavenErrorLine', () => {
  it('picks the line that carries the cause, not the summary above it', () => {
    assert.match(
      mavenErrorLine(unreachable),
      /^Non-resolvable import POM: .*failed: Connection refused$/,
    );
    assert.match(mavenErrorLine(unparseable), /^Non-parseable POM \/repo\/pom\.xml: in comment/);
  });

  it('falls back to the last lines when Maven printed no error', () => {
    assert.equal(mavenErrorLine('[INFO] one\n[INFO] two\n\n'), '[INFO] one [INFO] two');
  });
});

describe('isMavenNetworkFailure', () => {
  it('tells a repository that cannot be reached from a POM that cannot be read', () => {
    assert.equal(isMavenNetworkFailure(unreachable), true);
    assert.equal(isMavenNetworkFailure(unparseable), false);
  });
});
