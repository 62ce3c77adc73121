/**
 * Positions and ranges in a declaration file.
 *
 * Units, decided once here:
 * - `line` and `column` are 1-based. `column` counts UTF-16 code units (what JavaScript strings index and
 *   what chevrotain reports), so for ASCII text it is the character column.
 * - `offset` is the 0-based UTF-16 index into the file's text; it is the ground truth, and the rest is
 *   derived from it. Byte offsets (HCL's unit, and what the JSON diagnostic form carries) are computed
 *   from it by `SourceFile.byteOffset`.
 * - A `Range` is half-open: `end` is the first position after the range.
 */
export interface Pos {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

export interface Range {
  /** The file name as the user knows it (the `filename` option, or the CLI argument). */
  readonly file: string;
  readonly start: Pos;
  readonly end: Pos;
}

/** The smallest range that covers both `a` and `b` (which must be in the same file). */
export function rangeOver(a: Range, b: Range): Range {
  const start = a.start.offset <= b.start.offset ? a.start : b.start;
  const end = a.end.offset >= b.end.offset ? a.end : b.end;
  return { file: a.file, start, end };
}

/** The range from the start of `a` to the start of `b`. */
export function rangeBetween(a: Range, b: Range): Range {
  return { file: a.file, start: a.start, end: b.start };
}

/** An empty range at `pos`. */
export function rangeAt(file: string, pos: Pos): Range {
  return { file, start: pos, end: pos };
}

/** True when `inner` lies within `outer` (same file, offsets included). */
export function rangeContains(outer: Range, inner: Range): boolean {
  return outer.file === inner.file && outer.start.offset <= inner.start.offset && inner.end.offset <= outer.end.offset;
}

/** `file:line:column` of the start, the form every message and editor understands. */
export function formatPos(range: Range): string {
  return `${range.file}:${range.start.line}:${range.start.column}`;
}
