/** A decimal number as a CSV writes one; `Number()` alone would take '', ' ', '0x1f' and 'Infinity'. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Whether `text` is a plain decimal number (no hex, no Infinity, no blank). */
export function isDecimal(text: string): boolean {
  return DECIMAL.test(text);
}
