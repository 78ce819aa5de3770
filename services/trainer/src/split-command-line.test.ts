import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { splitCommandLine } from './split-command-line.js';

const argv = (line: string): string[] => {
  const split = splitCommandLine(line);
  assert.ok(split.ok, `${line}: ${split.ok ? '' : split.problem}`);
  return split.argv;
};
const problem = (line: string): string => {
  const split = splitCommandLine(line);
  assert.ok(!split.ok, `${line} should be refused, got ${JSON.stringify(split)}`);
  return split.problem;
};

describe('splitCommandLine', () => {
  it('splits on whitespace, as a shell splits words', () => {
    assert.deepEqual(argv('python train.py'), ['python', 'train.py']);
    assert.deepEqual(argv('  .venv/bin/python\ttrain.py   --C 0.5 \n'), [
      '.venv/bin/python',
      'train.py',
      '--C',
      '0.5',
    ]);
    assert.deepEqual(argv(''), []);
    assert.deepEqual(argv('   '), []);
  });

  it('keeps quoted text whole: single quotes literally, double quotes with \\" and \\\\', () => {
    assert.deepEqual(argv(`python "my trainer.py" 'a "b" c'`), [
      'python',
      'my trainer.py',
      'a "b" c',
    ]);
    assert.deepEqual(argv(String.raw`echo "say \"hi\" \\ \n"`), [
      'echo',
      String.raw`say "hi" \ \n`,
    ]);
    assert.deepEqual(argv(`x '' ""`), ['x', '', '']);
    assert.deepEqual(argv(`a'b'"c"d`), ['abcd']);
    assert.deepEqual(argv(String.raw`my\ trainer \$HOME`), ['my trainer', '$HOME']);
  });

  it('passes a shell line through sh -c when quoted, operators and all', () => {
    assert.deepEqual(argv(`sh -c 'python train.py > log.txt 2>&1; echo $?'`), [
      'sh',
      '-c',
      'python train.py > log.txt 2>&1; echo $?',
    ]);
    assert.deepEqual(argv(`python -c "import sys; sys.exit(1)"`), [
      'python',
      '-c',
      'import sys; sys.exit(1)',
    ]);
  });

  it('refuses what a shell would read differently, naming it', () => {
    for (const [line, operator] of [
      ['python train.py > log.txt', '>'],
      ['python train.py | tee log', '|'],
      ['python train.py; echo done', ';'],
      ['python train.py &', '&'],
      ['python $TRAINER', '$'],
      ['python `which train.py`', '`'],
      ['(python train.py)', '('],
    ] as const) {
      assert.match(
        problem(line),
        new RegExp(`unquoted \\${operator} would reach the program`),
        line,
      );
    }
    assert.match(problem('~/venv/bin/python train.py'), /~ is not expanded/);
    assert.match(
      problem('OMP_NUM_THREADS=1 python train.py'),
      /OMP_NUM_THREADS=1 would be taken for the program/,
    );
    assert.match(problem(`python 'train.py`), /unclosed '/);
    assert.match(problem('python "train.py'), /unclosed "/);
    assert.match(problem('python train.py \\'), /ends with a backslash/);
  });

  it('takes ~ and = inside a word literally, as a shell does', () => {
    assert.deepEqual(argv('python train.py --out=a~b'), ['python', 'train.py', '--out=a~b']);
  });
});
