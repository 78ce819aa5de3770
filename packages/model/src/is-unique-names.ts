/** A non-empty array of distinct non-empty strings: what feature names and class labels must be. */
export function isUniqueNames(names: unknown): names is string[] {
  return (
    Array.isArray(names) &&
    names.length > 0 &&
    names.every((name) => typeof name === 'string' && name.length > 0) &&
    new Set(names).size === names.length
  );
}
