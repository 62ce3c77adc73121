import type { SourceFile } from "../source/file.js";
import type { Pos, Range } from "../source/pos.js";

/**
 * Offsets to positions for one file, giving exactly what `SourceFile.pos`/`range` give (same clamping, same
 * 1-based UTF-16 columns) but faster for the parser's access pattern: the AST is built mostly in source
 * order, so the line of the previous lookup is tried first before falling back to a binary search.
 */
export class Positions {
  readonly name: string;
  readonly length: number;
  private readonly starts: Int32Array;
  private lastLine = 0;

  constructor(file: SourceFile) {
    this.name = file.name;
    const text = file.text;
    this.length = text.length;
    let count = 1;
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) count++;
    const starts = new Int32Array(count);
    let n = 1;
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts[n++] = i + 1;
    this.starts = starts;
  }

  /** The 0-based index of the line holding `offset` (already clamped). */
  lineIndex(offset: number): number {
    const starts = this.starts;
    const last = this.lastLine;
    if (starts[last]! <= offset && (last + 1 >= starts.length || starts[last + 1]! > offset)) return last;
    if (last + 2 <= starts.length && starts[last + 1]! <= offset && (last + 2 >= starts.length || starts[last + 2]! > offset)) {
      return (this.lastLine = last + 1);
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return (this.lastLine = lo);
  }

  pos(offset: number): Pos {
    const o = offset < 0 ? 0 : offset > this.length ? this.length : offset;
    const line = this.lineIndex(o);
    return { line: line + 1, column: o - this.starts[line]! + 1, offset: o };
  }

  range(start: number, end: number): Range {
    return { file: this.name, start: this.pos(start), end: this.pos(end) };
  }

  /** The offset at which the 0-based line `line` starts. */
  lineStart(line: number): number {
    return this.starts[line]!;
  }

  /** `line:column` of an offset, for messages that point somewhere else ("opened at 3:1"). */
  where(offset: number): string {
    const p = this.pos(offset);
    return `${p.line}:${p.column}`;
  }
}
