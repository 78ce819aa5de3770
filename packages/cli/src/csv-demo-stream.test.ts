import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { csvDemoStream, type CsvDemoOptions } from './csv-demo-stream.js';
import { CliError } from './errors.js';

const iris = new URL('../../../test/fixtures/byom/multiclass-iris.stream.csv', import.meta.url)
  .pathname;
const demoEnv = { DETECTOR_WINDOW: '500', DETECTOR_BLOCK_ACCURACY_THRESHOLD: '0.8' };

describe('csvDemoStream', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'csv-demo-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const open = (options: Partial<CsvDemoOptions> & { file: string }) =>
    csvDemoStream({ labelColumn: 'label', serviceEnv: demoEnv, ...options });
  /** A CSV whose row i has feature x = i and the i-th label. */
  const csvOf = async (name: string, labels: readonly string[]): Promise<string> => {
    const path = join(dir, name);
    await writeFile(path, ['x,label', ...labels.map((label, i) => `${i},${label}`)].join('\n'));
    return path;
  };

  it('learns from the first rows and replays the rest, numbered as the file’s rows', async () => {
    const stream = await open({ file: iris, drifts: [1000] });
    assert.equal(stream.model, 'multiclass-iris.stream');
    assert.deepEqual(stream.featureNames, [
      'sepal_length',
      'sepal_width',
      'petal_length',
      'petal_width',
    ]);
    assert.deepEqual(stream.classes, ['setosa', 'versicolor', 'virginica']);
    // 2000 rows: a quarter is the reference.
    assert.equal(stream.reference.length, 500);
    assert.deepEqual(
      [stream.rows.length, stream.rows[0]?.index, stream.rows.at(-1)?.index],
      [1500, 500, 1999],
    );
    // The demo's own ids, not the file's: its summary finds events by row number.
    assert.equal('id' in (stream.rows[0] ?? {}), false);
    assert.equal(stream.rows[0]?.label, 'versicolor');
    assert.deepEqual(stream.knownDrifts, [1000]);
    assert.equal(stream.serviceEnv['DETECTOR_BLOCK_ACCURACY_THRESHOLD'], '0');
    assert.equal(stream.serviceEnv['RETRAIN_AFTER_LABELED'], '4000');
    assert.match(
      stream.title,
      /^multiclass-iris\.stream\.csv \(1,500 events after a 500-row reference; classes setosa, versicolor, virginica, sorted; drifts at rows 1,000\)$/,
    );

    const short = await open({ file: iris, referenceRows: 100, length: 50 });
    assert.deepEqual([short.reference.length, short.rows.length], [100, 50]);
    assert.equal(short.serviceEnv['RETRAIN_AFTER_LABELED'], '4000');
  });

  it('sorts integer classes by value, any others by their text', async () => {
    const integers = await csvOf(
      'integers.csv',
      ['10', '2', '1', '10', '2', '1', '2', '1'].flatMap((l) => [l, l]),
    );
    assert.deepEqual((await open({ file: integers, referenceRows: 12 })).classes, ['1', '2', '10']);
    const mixed = await csvOf(
      'mixed.csv',
      ['b', '10', 'a', '2', 'b', '10', 'a', '2'].flatMap((l) => [l, l]),
    );
    assert.deepEqual((await open({ file: mixed, referenceRows: 12 })).classes, [
      '10',
      '2',
      'a',
      'b',
    ]);
  });

  it('refuses a class the training rows never show, one class, drifts outside the replay', async () => {
    const refused = (message: string) => (error: unknown) =>
      error instanceof CliError && error.code === 'DW_CLI_BAD_OPTION' && error.message === message;
    const late = await csvOf('late.csv', [
      ...Array<string>(20).fill('a'),
      'b',
      'a',
      'b',
      'a',
      ...Array<string>(8).fill('b'),
    ]);
    await assert.rejects(
      open({ file: late, referenceRows: 24 }),
      refused(
        'class b of late.csv never occurs in the 19 rows version 1 trains on (the first 24 are its reference, the last fifth of them its holdout); a larger --reference-rows, or a file whose first rows hold every class',
      ),
    );
    const one = await csvOf('one.csv', Array<string>(8).fill('a'));
    await assert.rejects(
      open({ file: one }),
      refused("one.csv's column label holds one class only (a): nothing to classify"),
    );
    await assert.rejects(
      open({ file: iris, drifts: [400] }),
      refused(
        '--drifts 400: the replay covers rows 500–1999 of multiclass-iris.stream.csv (after 500 reference rows); a drift must fall after its first row',
      ),
    );
    await assert.rejects(
      open({ file: iris, referenceRows: 2000 }),
      refused(
        'multiclass-iris.stream.csv has 2000 rows: 2000 reference rows leave none to replay (--reference-rows)',
      ),
    );
  });
});
