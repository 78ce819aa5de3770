const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Text made safe for HTML text and attribute values: feature names, reasons and alert text come
 * from topics, written by anyone who can produce to them.
 *
 * @example
 * ```ts
 * escapeHtml('<b title="x">A & B</b>'); // => "&lt;b title=&quot;x&quot;&gt;A &amp; B&lt;/b&gt;"
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => entities[char] ?? char);
}
