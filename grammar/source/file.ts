import type { Pos, Range } from "./pos.js";

/**
 * A declaration file: its name and text, with a line index built on first use. Everything that turns
 * offsets into lines and columns (diagnostics, BuildKit source ranges, fmt) goes through here.
 */
export class SourceFile {
  private lineStarts: number[] | undefined;

  constructor(
    readonly name: string,
    readonly text: string,
  ) {}

  /** Offsets at which each line starts (line 1 starts at 0). */
  private starts(): number[] {
    if (!this.lineStarts) {
      const starts = [0];
      const t = this.text;
      for (let i = 0; i < t.length; i++) if (t.charCodeAt(i) === 10) starts.push(i + 1);
      this.lineStarts = starts;
    }
    return this.lineStarts;
  }

  get lineCount(): number {
    return this.starts().length;
  }

  /** The position of a 0-based UTF-16 offset (clamped to the file). */
  pos(offset: number): Pos {
    const o = Math.max(0, Math.min(offset, this.text.length));
    const starts = this.starts();
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: o - starts[lo]! + 1, offset: o };
  }

  /** The range between two offsets. */
  range(startOffset: number, endOffset: number): Range {
    return { file: this.name, start: this.pos(startOffset), end: this.pos(endOffset) };
  }

  /** The text of a 1-based line, without its line break. */
  line(n: number): string {
    const starts = this.starts();
    if (n < 1 || n > starts.length) return "";
    const start = starts[n - 1]!;
    const next = n < starts.length ? starts[n]! - 1 : this.text.length;
    const end = next > start && this.text.charCodeAt(next - 1) === 13 ? next - 1 : next;
    return this.text.slice(start, end);
  }

  /** The UTF-8 byte offset of a UTF-16 offset. */
  byteOffset(offset: number): number {
    let bytes = 0;
    const t = this.text;
    const end = Math.min(offset, t.length);
    for (let i = 0; i < end; i++) {
      const c = t.charCodeAt(i);
      if (c < 0x80) bytes += 1;
      else if (c < 0x800) bytes += 2;
      else if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
        bytes += 4;
        i++;
      } else bytes += 3;
    }
    return bytes;
  }
}
