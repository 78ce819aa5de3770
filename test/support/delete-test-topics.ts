// Deletes the topics a test run left on the local broker: those named after a name the run's
// tests noted (uniqueName, under scripts/run-tests.mjs). Only this run's names, so a demo or
// another run on the same broker keeps its topics. Best effort: a broker that is away is said,
// never a failed run.
import { readFile } from 'node:fs/promises';

import { testKafka } from './environment.js';

const [namesFile] = process.argv.slice(2);
if (!namesFile) throw new Error('usage: delete-test-topics.ts <names file>');

const names = new Set(
  (await readFile(namesFile, 'utf8').catch(() => '')).split('\n').filter((name) => name !== ''),
);
if (names.size > 0) {
  const admin = testKafka().admin();
  try {
    await admin.connect();
    const left = (await admin.listTopics()).filter((topic) =>
      [...names].some((name) => topic === name || topic.startsWith(`${name}.`)),
    );
    // A few hundred at a time: one request for thousands of topics can outlast its timeout.
    for (let start = 0; start < left.length; start += 200) {
      await admin.deleteTopics({ topics: left.slice(start, start + 200) });
    }
    if (left.length > 0) console.log(`deleted ${String(left.length)} topics the tests left`);
  } catch (error) {
    console.warn(`could not delete the topics the tests left: ${(error as Error).message}`);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
