/**
 * The end of a stream of text, bounded as it arrives: at most `maxBytes` bytes are ever held,
 * however much the stream writes, and `text` is the last `maxLines` lines of them — what a
 * rejected version quotes from a training program's stderr (its error is usually the last thing
 * it printed). When anything was cut, `text` starts with `…` and `truncated` is true.
 *
 * @example
 * ```ts
 * const tail = new TextTail({ maxLines: 2, maxBytes: 1024 });
 * tail.push(Buffer.from('loading\nfitting\nTraceback: boom'));
 * tail.push(Buffer.from('\n'));
 * tail.text; // => "…fitting\nTraceback: boom"
 * tail.truncated; // => true
 * ```
 */
export class TextTail {
  readonly maxLines: number;
  readonly maxBytes: number;
  #bytes = Buffer.alloc(0);
  #dropped = false;

  constructor(options: { maxLines: number; maxBytes: number }) {
    if (!(Number.isSafeInteger(options.maxLines) && options.maxLines > 0)) {
      throw new RangeError(`maxLines must be a positive integer, got ${options.maxLines}`);
    }
    if (!(Number.isSafeInteger(options.maxBytes) && options.maxBytes > 0)) {
      throw new RangeError(`maxBytes must be a positive integer, got ${options.maxBytes}`);
    }
    this.maxLines = options.maxLines;
    this.maxBytes = options.maxBytes;
  }

  push(chunk: Uint8Array): void {
    const joined = Buffer.concat([this.#bytes, chunk]);
    if (joined.length > this.maxBytes) this.#dropped = true;
    this.#bytes = joined.subarray(Math.max(0, joined.length - this.maxBytes));
  }

  /** Whether the tail leaves out anything the stream wrote (bytes or lines). */
  get truncated(): boolean {
    return this.#dropped || this.#lines().cut;
  }

  /** The last `maxLines` lines held, without the final line break; `…` first when cut. */
  get text(): string {
    const { lines, cut } = this.#lines();
    return `${this.#dropped || cut ? '…' : ''}${lines.join('\n')}`;
  }

  #lines(): { lines: string[]; cut: boolean } {
    let start = 0;
    // A cut may fall inside a UTF-8 character: skip its continuation bytes.
    if (this.#dropped) {
      while (start < this.#bytes.length && ((this.#bytes[start] ?? 0) & 0xc0) === 0x80) start++;
    }
    const lines = this.#bytes
      .subarray(start)
      .toString('utf8')
      .replace(/\r?\n$/, '')
      .split(/\r?\n/);
    if (lines.length === 1 && lines[0] === '') return { lines: [], cut: false };
    return { lines: lines.slice(-this.maxLines), cut: lines.length > this.maxLines };
  }
}
