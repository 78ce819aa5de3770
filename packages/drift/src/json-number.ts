/**
 * A double as plain JSON: the number itself where JSON keeps it, else a string naming it.
 * `JSON.stringify` writes NaN and ±Infinity as `null` and −0 as `0`; a snapshot that must revive
 * an object bit for bit (a Page-Hinkley minimum starts at Infinity) spells them out instead.
 * Finite numbers other than −0 survive `JSON.stringify` and `JSON.parse` exactly.
 */
export type JsonNumber = number | 'NaN' | 'Infinity' | '-Infinity' | '-0';

export function toJsonNumber(value: number): JsonNumber {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  return Object.is(value, -0) ? '-0' : value;
}

/** The double a {@link JsonNumber} stands for, or `undefined` if `json` is not one. */
export function fromJsonNumber(json: unknown): number | undefined {
  if (typeof json === 'number') return json;
  switch (json) {
    case 'NaN':
      return NaN;
    case 'Infinity':
      return Infinity;
    case '-Infinity':
      return -Infinity;
    case '-0':
      return -0;
    default:
      return undefined;
  }
}
