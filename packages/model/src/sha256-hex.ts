import { createHash } from 'node:crypto';

/**
 * Lower-case hex SHA-256 of `bytes`: the checksum a model-version record carries next to its
 * ONNX bytes, checked before they are loaded.
 *
 * @example
 * ```ts
 * sha256Hex(new TextEncoder().encode('abc')); // => "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
 * ```
 */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
