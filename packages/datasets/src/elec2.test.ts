import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import {
  elec2Columns,
  elec2DefaultFeatures,
  parseElec2,
  readElec2,
  type Elec2Row,
} from './elec2.js';
import { DatasetError, type DatasetErrorCode } from './errors.js';

/** The copy the team shares; `ELEC2_CSV` points elsewhere. Not bundled, so tests skip without it. */
const elec2Path = process.env.ELEC2_CSV ?? '/work/shared/datasets/elec2.csv';
const skipWithoutFile = existsSync(elec2Path)
  ? false
  : `ELEC2 not found at ${elec2Path} (set ELEC2_CSV to its path to run these tests)`;

const header = elec2Columns.join(',');
const firstLine = '0,2,0,0.056443,0.439155,0.003467,0.422915,0.414912,UP';
const secondLine = '0,2,0.021277,0.051699,0.415055,0.003467,0.422915,0.414912,DOWN';

function expectFormatError(
  csv: string,
  at: { line: number; column?: string },
  mentions: string,
): void {
  assert.throws(
    () => parseElec2(csv),
    (error: unknown) => {
      assert.ok(error instanceof DatasetError, String(error));
      assert.equal(error.code, 'DW_DATASET_FORMAT');
      assert.equal(error.line, at.line);
      assert.equal(error.column, at.column);
      assert.ok(error.message.includes(`line ${at.line}`), error.message);
      assert.ok(error.message.includes(mentions), error.message);
      return true;
    },
  );
}

async function rejectsWith(
  promise: Promise<unknown>,
  code: DatasetErrorCode,
): Promise<DatasetError> {
  const error: unknown = await promise.then(
    () => assert.fail('expected a rejection'),
    (thrown: unknown) => thrown,
  );
  assert.ok(error instanceof DatasetError, String(error));
  assert.equal(error.code, code);
  return error;
}

describe('readElec2 on the real file', { skip: skipWithoutFile }, () => {
  let rows: Elec2Row[] = [];
  before(async () => {
    rows = await readElec2(elec2Path);
  });

  it('reads 45,312 rows, indexed in file order', () => {
    assert.equal(rows.length, 45_312);
    assert.ok(rows.every((row, i) => row.index === i));
  });

  it('has the published class balance: UP 19,237, DOWN 26,075', () => {
    assert.equal(rows.filter((row) => row.label === 1).length, 19_237);
    assert.equal(rows.filter((row) => row.label === 0).length, 26_075);
  });

  it('reads the first, the 10,000th and the last row exactly', () => {
    const features = (values: number[]): Record<string, number> =>
      Object.fromEntries(elec2DefaultFeatures.map((name, i) => [name, values[i]!]));
    assert.deepEqual(rows[0], {
      index: 0,
      features: features([2, 0, 0.056443, 0.439155, 0.003467, 0.422915, 0.414912]),
      label: 1,
      date: 0,
    });
    assert.deepEqual(rows[9999], {
      index: 9999,
      features: features([7, 0.319149, 0.089828, 0.250967, 0.003467, 0.422915, 0.414912]),
      label: 1,
      date: 0.030707,
    });
    assert.deepEqual(rows[45_311], {
      index: 45_311,
      features: features([7, 1, 0.050679, 0.288753, 0.003542, 0.355256, 0.23114]),
      label: 0,
      date: 0.9158,
    });
  });

  it('agrees with a naive split of every line', () => {
    const lines = readFileSync(elec2Path, 'utf8').split('\n');
    assert.equal(lines[0], header);
    assert.equal(lines.length - 1, rows.length);
    rows.forEach((row, i) => {
      const fields = lines[i + 1]!.split(',');
      assert.deepEqual(
        Object.values(row.features),
        fields.slice(1, 8).map(Number),
        `line ${i + 2}`,
      );
      assert.equal(row.date, Number(fields[0]));
      assert.equal(row.label, fields[8] === 'UP' ? 1 : 0);
    });
  });

  it('uses every numeric column but date by default, and date only when asked', async () => {
    assert.deepEqual(Object.keys(rows[0]!.features), [
      'day',
      'period',
      'nswprice',
      'nswdemand',
      'vicprice',
      'vicdemand',
      'transfer',
    ]);
    const withDate = await readElec2(elec2Path, { features: ['date', 'nswprice'] });
    assert.deepEqual(withDate[45_311]!.features, { date: 0.9158, nswprice: 0.050679 });
  });
});

describe('readElec2 errors', () => {
  let directory = '';
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'driftwatch-elec2-'));
  });
  after(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('names the path, says the dataset is not bundled and where to get it, when the file is missing', async () => {
    const path = join(directory, 'missing.csv');
    const error = await rejectsWith(readElec2(path), 'DW_DATASET_NOT_FOUND');
    assert.equal(error.path, path);
    assert.ok(error.message.includes(path), error.message);
    assert.ok(error.message.includes('not bundled'), error.message);
    assert.ok(error.message.includes('openml.org'), error.message);
  });

  it('reports a directory as unreadable', async () => {
    const error = await rejectsWith(readElec2(directory), 'DW_DATASET_UNREADABLE');
    assert.equal(error.path, directory);
  });

  it('names the file, line and column of a bad value', async () => {
    const path = join(directory, 'bad.csv');
    await writeFile(path, `${header}\n${firstLine}\n${secondLine.replace('0.051699', 'n/a')}\n`);
    const error = await rejectsWith(readElec2(path), 'DW_DATASET_FORMAT');
    assert.deepEqual([error.path, error.line, error.column], [path, 3, 'nswprice']);
    assert.ok(error.message.startsWith(`${path} line 3, column 4 (nswprice)`), error.message);
  });

  it('rejects bad options before reading', async () => {
    await rejectsWith(readElec2(''), 'DW_DATASET_INVALID_OPTION');
    await rejectsWith(
      readElec2(join(directory, 'missing.csv'), { features: [] }),
      'DW_DATASET_INVALID_OPTION',
    );
  });
});

describe('parseElec2', () => {
  const csv = `${header}\n${firstLine}\n${secondLine}`;

  it('parses rows, with a trailing newline or without', () => {
    const rows = parseElec2(csv);
    assert.deepEqual(parseElec2(`${csv}\n`), rows);
    assert.deepEqual(parseElec2(`${csv.replaceAll('\n', '\r\n')}\r\n`), rows);
    assert.deepEqual(
      rows.map((row) => row.label),
      [1, 0],
    );
    assert.equal(rows[1]!.features.period, 0.021277);
  });

  it('puts the chosen features in the chosen order', () => {
    const [row] = parseElec2(csv, { features: ['transfer', 'date', 'day'] });
    assert.deepEqual(Object.entries(row!.features), [
      ['transfer', 0.414912],
      ['date', 0],
      ['day', 2],
    ]);
  });

  it('returns no rows for a header alone', () => {
    assert.deepEqual(parseElec2(header), []);
  });

  it('counts lines as the file does, blank lines included', () => {
    expectFormatError(
      `${header}\n${firstLine}\n\n${secondLine.replace('DOWN', 'down')}`,
      { line: 4, column: 'class' },
      'expected UP or DOWN, got "down"',
    );
  });

  it('names the line and column of a wrong header', () => {
    expectFormatError(
      csv.replace('nswdemand', 'nsw_demand'),
      { line: 1, column: 'nswdemand' },
      'column 5: expected nswdemand, got "nsw_demand"',
    );
    expectFormatError(
      csv.replace(',class', ''),
      { line: 1, column: 'class' },
      'column 9: expected class, got none',
    );
    expectFormatError(
      csv.replace(',class', ',class,extra'),
      { line: 1, column: 'extra' },
      'column 10',
    );
    expectFormatError('', { line: 1 }, 'empty');
  });

  it('names the line and column of a value that is not a number', () => {
    for (const bad of ['', 'abc', '0x1f', 'Infinity', '1,5']) {
      const line = secondLine.replace('0.415055', bad);
      if (bad === '1,5') {
        expectFormatError(`${header}\n${firstLine}\n${line}`, { line: 3 }, 'expected 9 fields');
      } else {
        expectFormatError(
          `${header}\n${firstLine}\n${line}`,
          { line: 3, column: 'nswdemand' },
          `column 5 (nswdemand): expected a number, got ${JSON.stringify(bad)}`,
        );
      }
    }
  });

  it('names the line of a row with the wrong number of fields', () => {
    expectFormatError(`${header}\n${firstLine},UP`, { line: 2 }, 'expected 9 fields');
  });

  it('reports broken quoting as a format error with its line', () => {
    assert.throws(
      () => parseElec2(`${header}\n${firstLine}\n"0,2`),
      (error: unknown) =>
        error instanceof DatasetError && error.code === 'DW_DATASET_FORMAT' && error.line === 3,
    );
  });

  it('rejects features that are not numeric columns, or repeat', () => {
    for (const features of [[], ['class'], ['nswprice', 'nswprice'], ['price']]) {
      assert.throws(
        () => parseElec2(csv, { features: features as ['date'] }),
        (error: unknown) =>
          error instanceof DatasetError && error.code === 'DW_DATASET_INVALID_OPTION',
      );
    }
  });
});
