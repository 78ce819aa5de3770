import { readFile } from 'node:fs/promises';

/** The last lines of a server's log, for error messages that show why it would not start. */
export async function tail(file: string, lines = 25): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
