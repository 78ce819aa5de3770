/** The words of a command line, or why it cannot be run without a shell. */
export type SplitCommandLine = { ok: true; argv: string[] } | { ok: false; problem: string };

/** Unquoted, these mean something to a shell that a plain argument list cannot do. */
const shellOperators = new Set(['|', '&', ';', '<', '>', '(', ')', '$', '`']);
const assignment = /^[A-Za-z_][A-Za-z0-9_]*=/;

/**
 * Splits `TRAINER_COMMAND` into the program and its arguments, as a POSIX shell splits words, and
 * nothing more: the trainer runs it without a shell, so no variable, glob, tilde or redirection
 * is expanded behind the user's back. Words are separated by whitespace; `'…'` quotes literally;
 * `"…"` quotes with `\"` and `\\` escaped; outside quotes a backslash escapes the next character.
 * A line that would mean something else to a shell — an unquoted `|`, `&`, `;`, `<`, `>`, `(`,
 * `)`, `$` or backquote, a word starting with `~`, a leading `NAME=value` — is refused rather than
 * run differently from what it says; `sh -c '…'` runs a shell line on purpose. Blank is no words.
 *
 * @example
 * ```ts
 * splitCommandLine(`.venv/bin/python "my trainer.py" --C 0.5`); // => {"ok":true,"argv":[".venv/bin/python","my trainer.py","--C","0.5"]}
 * splitCommandLine('python train.py > log.txt').ok; // => false
 * ```
 */
export function splitCommandLine(line: string): SplitCommandLine {
  const argv: string[] = [];
  let word = '';
  /** Whether a word has begun: `''` quoted is an empty word, unquoted nothing. */
  let inWord = false;
  let quote: "'" | '"' | null = null;
  const refuse = (problem: string): SplitCommandLine => ({ ok: false, problem });
  for (let i = 0; i < line.length; i++) {
    const char = line.charAt(i);
    if (quote === "'") {
      if (char === "'") quote = null;
      else word += char;
      continue;
    }
    if (quote === '"') {
      const next = line.charAt(i + 1);
      if (char === '"') quote = null;
      else if (char === '\\' && (next === '"' || next === '\\')) word += line.charAt(++i);
      else word += char;
      continue;
    }
    if (/\s/.test(char)) {
      if (inWord) argv.push(word);
      [word, inWord] = ['', false];
      continue;
    }
    if (char === "'" || char === '"') {
      quote = char;
      inWord = true;
      continue;
    }
    if (char === '\\') {
      if (i + 1 >= line.length) return refuse('ends with a backslash that escapes nothing');
      word += line.charAt(++i);
      inWord = true;
      continue;
    }
    if (shellOperators.has(char)) {
      return refuse(
        `is run without a shell, so an unquoted ${char} would reach the program as an argument; quote it, or run a shell on purpose: sh -c '…'`,
      );
    }
    if (char === '~' && !inWord) {
      return refuse(
        'is run without a shell, so ~ is not expanded to the home directory; write the path in full',
      );
    }
    word += char;
    inWord = true;
  }
  if (quote) return refuse(`has an unclosed ${quote}`);
  if (inWord) argv.push(word);
  const [program] = argv;
  if (program !== undefined && assignment.test(program)) {
    return refuse(
      `is run without a shell, so ${program} would be taken for the program; set the variable in the trainer's environment instead`,
    );
  }
  return { ok: true, argv };
}
