import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { DatasetError, type DatasetErrorCode } from './errors.js';
import { parseLabeledCsv, readLabeledCsv, type LabeledCsvOptions } from './labeled-csv.js';

const byom = new URL('../../../test/fixtures/byom/', import.meta.url);
const fixture = (file: string): string => new URL(file, byom).pathname;

/** Asserts a one-line DatasetError with its code, location and words. */
function datasetError(
  code: DatasetErrorCode,
  at: { line?: number; column?: string },
  message: string | RegExp,
): (error: unknown) => boolean {
  return (error) => {
    assert.ok(error instanceof DatasetError, String(error));
    assert.equal(error.code, code, error.message);
    assert.equal(error.line, at.line);
    assert.equal(error.column, at.column);
    assert.ok(!error.message.includes('\n'), `message spans lines: ${error.message}`);
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  };
}

const parse = (csv: string, options: Partial<LabeledCsvOptions> = {}) =>
  parseLabeledCsv(csv, { labelColumn: 'label', source: 'test.csv', ...options });

describe('parseLabeledCsv', () => {
  describe('the header', () => {
    it('names the features: every column but label, id and time, in file order', () => {
      const table = parse('b,id,a,label,when\n1,e-1,2,yes,0\n', { timeColumn: 'when' });
      assert.deepEqual(table.header, ['b', 'id', 'a', 'label', 'when']);
      assert.deepEqual(table.featureNames, ['b', 'a']);
      assert.equal(table.labelColumn, 'label');
      assert.equal(table.idColumn, 'id');
      assert.equal(table.timeColumn, 'when');
      assert.deepEqual(table.rows, [
        { index: 0, line: 2, features: { b: 1, a: 2 }, label: 'yes', id: 'e-1', ts: 0 },
      ]);
    });

    it('reads only the features asked for, in the order asked, other columns untouched', () => {
      const table = parse('x,note,y,label\n1,"not a number",2,0\n', { features: ['y', 'x'] });
      assert.deepEqual(table.featureNames, ['y', 'x']);
      assert.deepEqual(Object.keys(table.rows[0]!.features), ['y', 'x']);
    });

    it('has no id column unless the file has one named id or one is named', () => {
      assert.equal(parse('x,label\n1,0\n').idColumn, null);
      assert.equal(parse('x,label\n1,0\n').rows[0]!.id, undefined);
      const named = parse('key,x,label\nk1,1,0\n', { idColumn: 'key' });
      assert.equal(named.rows[0]!.id, 'k1');
      assert.deepEqual(named.featureNames, ['x']);
    });

    it('refuses an empty file, an unnamed column and a repeated column', () => {
      assert.throws(
        () => parse(''),
        datasetError(
          'DW_DATASET_FORMAT',
          { line: 1 },
          'test.csv line 1: the file is empty; expected a header naming the columns',
        ),
      );
      assert.throws(
        () => parse('x,,label\n1,2,0\n'),
        datasetError(
          'DW_DATASET_FORMAT',
          { line: 1 },
          'test.csv line 1: column 2 of the header has no name',
        ),
      );
      assert.throws(
        () => parse('x,y,x,label\n1,2,3,0\n'),
        datasetError(
          'DW_DATASET_FORMAT',
          { line: 1, column: 'x' },
          'test.csv line 1: the header names column "x" twice (columns 1 and 3)',
        ),
      );
    });

    it('refuses a file with a header and no rows', () => {
      assert.throws(
        () => parse('x,label\n\n'),
        datasetError(
          'DW_DATASET_FORMAT',
          { line: 2 },
          'test.csv line 2: no data rows after the header',
        ),
      );
    });
  });

  describe('missing columns', () => {
    it('names a missing feature, label, id or time column and the header it looked in', () => {
      const cases: [Partial<LabeledCsvOptions>, string, string][] = [
        [{ features: ['x', 'z'] }, 'z', 'no feature column "z"'],
        [{ labelColumn: 'class' }, 'class', 'no label column "class"'],
        [{ idColumn: 'key' }, 'key', 'no id column "key"'],
        [{ timeColumn: 'ts' }, 'ts', 'no time column "ts"'],
      ];
      for (const [options, column, words] of cases) {
        assert.throws(
          () => parse('x,y,label\n1,2,0\n', options),
          datasetError(
            'DW_DATASET_FORMAT',
            { line: 1, column },
            `test.csv line 1: ${words}; the header has x, y, label`,
          ),
        );
      }
    });

    it('reads a file without its label column when labels are optional', () => {
      const table = parse('x,y\n1,2\n3,4\n', { labels: 'optional' });
      assert.equal(table.labelColumn, null);
      assert.deepEqual(table.featureNames, ['x', 'y']);
      assert.deepEqual(
        table.rows.map((row) => row.label),
        [undefined, undefined],
      );
    });

    it('names the missing column of the byom fixture when the features are given', async () => {
      const features = ['x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7', 'x8'];
      const path = fixture('bad-missing-column.reference.csv');
      await assert.rejects(
        readLabeledCsv(path, { labelColumn: 'label', features }),
        datasetError(
          'DW_DATASET_FORMAT',
          { line: 1, column: 'x6' },
          `${path} line 1: no feature column "x6"; the header has x1, x2, x3, x4, x5, x7, x8, label`,
        ),
      );
    });
  });

  describe('cells', () => {
    it('reads quoted cells: commas, quotes and line breaks inside, spaces around', () => {
      const csv = [
        'id,"x, the first","say ""y""",label',
        '"a,1", 1.5 ,"-2e3","two words"',
        'b2,"3","4","line one',
        'line two"',
        '',
        'c3,.5,+7,""',
      ].join('\n');
      const table = parse(csv);
      assert.deepEqual(table.featureNames, ['x, the first', 'say "y"']);
      assert.deepEqual(
        table.rows.map((row) => [row.id, row.line, row.features, row.label]),
        [
          ['a,1', 2, { 'x, the first': 1.5, 'say "y"': -2000 }, 'two words'],
          ['b2', 4, { 'x, the first': 3, 'say "y"': 4 }, 'line one\nline two'],
          ['c3', 6, { 'x, the first': 0.5, 'say "y"': 7 }, undefined],
        ],
      );
    });

    it('refuses a quote that is never closed, naming the line', () => {
      assert.throws(
        () => parse('x,label\n1,0\n"2,1\n'),
        datasetError('DW_DATASET_FORMAT', { line: 3 }, /^test\.csv line 3: Quote Not Closed/),
      );
    });

    it('refuses a non-numeric feature cell, naming the line, the data row and the column', () => {
      for (const cell of ['n/a', '', 'NaN', 'Infinity', '0x1f', '1,5']) {
        const csv = `x,y,label\n1,2,0\n3,"${cell}",1\n`;
        assert.throws(
          () => parse(csv),
          datasetError(
            'DW_DATASET_FORMAT',
            { line: 3, column: 'y' },
            `test.csv line 3 (data row 2), column y: expected a number, got ${JSON.stringify(cell)}`,
          ),
        );
      }
    });

    it('names the non-numeric cell of the byom fixture at its file line', async () => {
      const path = fixture('bad-non-numeric.reference.csv');
      await assert.rejects(
        readLabeledCsv(path, { labelColumn: 'label' }),
        datasetError(
          'DW_DATASET_FORMAT',
          // bad-inputs.json: value "n/a", column x3, data row 37, line 38.
          { line: 38, column: 'x3' },
          `${path} line 38 (data row 37), column x3: expected a number, got "n/a"`,
        ),
      );
    });

    it('refuses a row with more or fewer cells than the header', () => {
      assert.throws(
        () => parse('x,y,label\n1,2,0\n3,4\n'),
        datasetError(
          'DW_DATASET_FORMAT',
          { line: 3 },
          'test.csv line 3: expected 3 cells, one per column of the header, got 2',
        ),
      );
    });
  });

  describe('labels', () => {
    it('keeps an integer label as an integer and any other label as its text', () => {
      const labels = parse(
        'x,label\n1,0\n1,1\n1,-3\n1,setosa\n1,01\n1,1.0\n1,+2\n1,1e3\n1,99999999999999999999\n1,\n',
      ).rows.map((row) => row.label);
      assert.deepEqual(labels, [
        0,
        1,
        -3,
        'setosa',
        '01',
        '1.0',
        '+2',
        '1e3',
        '99999999999999999999',
        undefined,
      ]);
    });

    it('reads the string classes of the iris fixture', async () => {
      const table = await readLabeledCsv(fixture('multiclass-iris.reference.csv'), {
        labelColumn: 'label',
      });
      assert.equal(table.rows.length, 150);
      assert.deepEqual(
        [...new Set(table.rows.map((row) => row.label))],
        ['setosa', 'versicolor', 'virginica'],
      );
    });
  });

  describe('ids and times', () => {
    it('refuses an empty or repeated id', () => {
      assert.throws(
        () => parse('id,x,label\na,1,0\n,2,0\n'),
        datasetError(
          'DW_DATASET_FORMAT',
          { line: 3, column: 'id' },
          'test.csv line 3 (data row 2), column id: expected an id, got an empty cell',
        ),
      );
      assert.throws(
        () => parse('id,x,label\na,1,0\nb,1,0\na,2,0\n'),
        datasetError(
          'DW_DATASET_FORMAT',
          { line: 4, column: 'id' },
          'test.csv line 4 (data row 3), column id: id "a" repeats the id of line 2',
        ),
      );
    });

    it('reads times as epoch ms or ISO 8601, UTC unless an offset is written', () => {
      const csv = [
        'ts,x,label',
        '1717243200000,1,0',
        '2024-06-01T12:00:00Z,1,0',
        '2024-06-01T12:00:00,1,0',
        '2024-06-01 14:00:00.5+02:00,1,0',
        '2024-06-01,1,0',
      ].join('\n');
      const times = parse(csv, { timeColumn: 'ts' }).rows.map((row) => row.ts);
      const noon = Date.UTC(2024, 5, 1, 12);
      assert.deepEqual(times, [noon, noon, noon, noon + 500, Date.UTC(2024, 5, 1)]);
    });

    it('refuses a time that is neither', () => {
      for (const cell of ['yesterday', '-5', '2024-13-45', '12:00', '1.5']) {
        assert.throws(
          () => parse(`ts,x,label\n${cell},1,0\n`, { timeColumn: 'ts' }),
          datasetError(
            'DW_DATASET_FORMAT',
            { line: 2, column: 'ts' },
            `test.csv line 2 (data row 1), column ts: expected a time, epoch milliseconds or ISO 8601 (2024-05-01T12:00:00Z), got ${JSON.stringify(cell)}`,
          ),
        );
      }
    });
  });

  it('refuses options that name one column for two roles', () => {
    assert.throws(
      () => parse('x,label\n1,0\n', { features: ['x', 'label'] }),
      datasetError(
        'DW_DATASET_INVALID_OPTION',
        {},
        'options labelColumn and features[1] both name column "label"',
      ),
    );
    assert.throws(
      () => parse('x,label\n1,0\n', { features: [] }),
      datasetError('DW_DATASET_INVALID_OPTION', {}, 'option features must name a column'),
    );
  });
});

describe('readLabeledCsv', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'labeled-csv-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a file with a BOM, naming it in errors with its path', async () => {
    const path = join(dir, 'stream.csv');
    await writeFile(path, '\uFEFFid,x,label\ne1,1,yes\ne2,oops,no\n');
    await assert.rejects(
      readLabeledCsv(path, { labelColumn: 'label' }),
      (error: unknown) =>
        error instanceof DatasetError &&
        error.path === path &&
        error.message === `${path} line 3 (data row 2), column x: expected a number, got "oops"`,
    );
    await writeFile(path, '\uFEFFid,x,label\ne1,1,yes\n');
    const table = await readLabeledCsv(path, { labelColumn: 'label' });
    assert.deepEqual(table.header, ['id', 'x', 'label']);
  });

  it('refuses a path that does not exist or is a directory', async () => {
    await assert.rejects(
      readLabeledCsv(join(dir, 'none.csv'), { labelColumn: 'label' }),
      datasetError('DW_DATASET_NOT_FOUND', {}, `${join(dir, 'none.csv')}: no such file`),
    );
    await assert.rejects(
      readLabeledCsv(dir, { labelColumn: 'label' }),
      datasetError('DW_DATASET_UNREADABLE', {}, new RegExp(`^${dir} could not be read: `)),
    );
  });
});
