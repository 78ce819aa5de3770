import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { formatTrainingCsv } from './format-training-csv.js';

/** What Python's csv.DictReader — train.py's reader — makes of a file. */
function readWithPython(csv: string): { header: string[]; rows: Record<string, string>[] } {
  const dir = mkdtempSync(join(tmpdir(), 'dw-csv-'));
  try {
    const path = join(dir, 'rows.csv');
    writeFileSync(path, csv);
    const script = [
      'import csv, json, sys',
      'with open(sys.argv[1], newline="", encoding="utf-8") as f:',
      '    reader = csv.DictReader(f)',
      '    rows = list(reader)',
      '    print(json.dumps({"header": reader.fieldnames, "rows": rows}))',
    ].join('\n');
    return JSON.parse(execFileSync('python3', ['-c', script, path], { encoding: 'utf8' })) as {
      header: string[];
      rows: Record<string, string>[];
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('formatTrainingCsv', () => {
  it('writes the features by name, then label as the class name', () => {
    const csv = formatTrainingCsv(['x1', 'x2'], ['setosa', 'versicolor', 'virginica'], {
      rows: [
        [5.1, 3.5],
        [6.3, 2.9],
      ],
      labels: [0, 2],
    });
    assert.equal(csv, 'x1,x2,label\n5.1,3.5,setosa\n6.3,2.9,virginica\n');
  });

  it('quotes odd feature and class names so that Python reads them back exactly', () => {
    const featureNames = ['plain', 'with,comma', 'with "quotes"', 'line\nbreak', ' padded ', 'ünï'];
    const classes = ['a,b', 'say "x"', ' c', 'd\r\ne'];
    const rows = [
      [1, -2.5, 1e-7, 123456789.125, -0, 1e21],
      [0.1 + 0.2, Number.MIN_VALUE, -Number.MAX_VALUE, 3, 4, 5],
    ];
    const labels = [3, 1];
    const read = readWithPython(formatTrainingCsv(featureNames, classes, { rows, labels }));
    assert.deepEqual(read.header, [...featureNames, 'label']);
    assert.equal(read.rows.length, 2);
    read.rows.forEach((row, i) => {
      assert.equal(row['label'], classes[labels[i] ?? -1]);
      featureNames.forEach((name, j) => {
        // Python's float() of the text is the double we wrote (-0 is written 0: + 0 makes it so).
        assert.equal(Number(row[name]), (rows[i]?.[j] ?? NaN) + 0, `${name} row ${i}`);
      });
    });
  });

  it('writes only the header for no rows', () => {
    assert.equal(formatTrainingCsv(['x'], ['0', '1'], { rows: [], labels: [] }), 'x,label\n');
  });

  it('refuses a label that is not a class index', () => {
    assert.throws(
      () => formatTrainingCsv(['x'], ['0', '1'], { rows: [[1]], labels: [2] }),
      /row 0: label 2 is not a class index below 2/,
    );
  });
});
