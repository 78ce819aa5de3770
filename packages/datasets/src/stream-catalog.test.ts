import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';

import { DatasetError, type DatasetErrorCode } from './errors.js';
import { openStream, streamCatalog, type StreamName } from './stream-catalog.js';

const elec2Path = process.env.ELEC2_CSV ?? '/work/shared/datasets/elec2.csv';

async function rejectsWith(
  promise: Promise<unknown>,
  code: DatasetErrorCode,
  mentions: string,
): Promise<void> {
  await assert.rejects(
    promise,
    (error: unknown) =>
      error instanceof DatasetError && error.code === code && error.message.includes(mentions),
  );
}

describe('streamCatalog and openStream', () => {
  it('lists each stream once', () => {
    const names = streamCatalog.map((entry) => entry.name);
    assert.equal(new Set(names).size, names.length);
  });

  for (const entry of streamCatalog.filter((candidate) => !candidate.needsFile)) {
    it(`opens ${entry.name} with consistent rows, features and drifts`, async () => {
      const stream = await openStream({ dataset: entry.name, seed: 3, length: 2000 });
      assert.equal(stream.name, entry.name);
      assert.equal(stream.rows.length, 2000);
      assert.ok(stream.rows.every((row, i) => row.index === i));
      assert.ok(
        stream.rows.every((row) => Object.keys(row.features).join() === stream.featureNames.join()),
      );
      assert.ok(stream.drifts !== null && stream.drifts.length > 0);
      assert.ok(stream.drifts.every((at) => at > 0 && at < 2000));
      // Deterministic for a seed, different for another.
      assert.deepEqual(
        (await openStream({ dataset: entry.name, seed: 3, length: 2000 })).rows,
        stream.rows,
      );
      assert.notDeepEqual(
        (await openStream({ dataset: entry.name, seed: 4, length: 2000 })).rows,
        stream.rows,
      );
    });
  }

  it('opens sea with 20,000 rows by default', async () => {
    const stream = await openStream({ dataset: 'sea' });
    assert.equal(stream.rows.length, 20_000);
    assert.deepEqual(stream.drifts, [5000, 10_000, 15_000]);
  });

  it(
    'opens elec2 from its file, whole or its first rows, with no known drifts',
    { skip: existsSync(elec2Path) ? false : `ELEC2 not found at ${elec2Path} (set ELEC2_CSV)` },
    async () => {
      const whole = await openStream({ dataset: 'elec2', file: elec2Path });
      assert.equal(whole.rows.length, 45_312);
      assert.equal(whole.drifts, null);
      assert.deepEqual(Object.keys(whole.rows[0]!.features), whole.featureNames);
      const first = await openStream({ dataset: 'elec2', file: elec2Path, length: 100 });
      assert.deepEqual(first.rows, whole.rows.slice(0, 100));
      await rejectsWith(
        openStream({ dataset: 'elec2', file: elec2Path, length: 45_313 }),
        'DW_DATASET_INVALID_OPTION',
        'at most the 45312 rows',
      );
    },
  );

  it('asks for the file of elec2, and names an unknown dataset', async () => {
    await rejectsWith(openStream({ dataset: 'elec2' }), 'DW_DATASET_INVALID_OPTION', 'not bundled');
    await rejectsWith(
      openStream({ dataset: 'stagger' as StreamName }),
      'DW_DATASET_INVALID_OPTION',
      "'sea'",
    );
    await rejectsWith(
      openStream({ dataset: 'sea', length: 0 }),
      'DW_DATASET_INVALID_OPTION',
      'length',
    );
  });
});
