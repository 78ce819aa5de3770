import { readFileSync } from 'node:fs';

import type { ReadTextFile } from './kafka-security.js';
import { ConfigError } from './errors.js';

/**
 * ioredis' `tls` option for REDIS_URL and REDIS_TLS_CA_FILE. A `rediss://` URL is TLS already
 * (ioredis turns it on, verified against the system's CAs); the CA file is for a Redis whose
 * certificate a private CA signed. Credentials stay in the URL (`rediss://user:password@host`),
 * which ioredis reads itself. A CA file beside a plain `redis://` URL is refused: it would be
 * ignored, and the connection meant to be encrypted would not be.
 *
 * @example
 * redisTls({ REDIS_URL: 'redis://127.0.0.1:6379' }); // → {}
 */
export function redisTls(
  vars: { REDIS_URL: string; REDIS_TLS_CA_FILE?: string | undefined },
  readFile: ReadTextFile = (path) => readFileSync(path, 'utf8'),
): { tls?: { ca: string[] } } {
  const path = vars.REDIS_TLS_CA_FILE;
  if (path === undefined) return {};
  if (!/^rediss:/i.test(vars.REDIS_URL)) {
    throw new ConfigError([
      {
        variable: 'REDIS_TLS_CA_FILE',
        problem: 'is set, but REDIS_URL is redis://, not rediss:// (TLS)',
      },
    ]);
  }
  try {
    return { tls: { ca: [readFile(path)] } };
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new ConfigError([
      { variable: 'REDIS_TLS_CA_FILE', problem: `cannot read ${path} (${reason})` },
    ]);
  }
}
