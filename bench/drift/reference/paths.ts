import { fileURLToPath } from 'node:url';

/** The repository root, from this file's place in bench/drift/reference/. */
export const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
