/**
 * An ONNX int64 field (a dimension, an attribute's ints, the IR version) as a number: protobufjs
 * decodes int64 as a `Long` (with `toNumber`) when long.js is installed, as a number otherwise.
 * `undefined` for anything else, so an absent field reads as unknown rather than as 0.
 */
export function longToNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  const long = value as { toNumber?: unknown } | null | undefined;
  return typeof long?.toNumber === 'function'
    ? (long.toNumber as () => number).call(long)
    : undefined;
}
