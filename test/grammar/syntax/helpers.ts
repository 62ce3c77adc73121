import { SourceFile } from "../../../grammar/source/file.js";
import type { Range } from "../../../grammar/source/pos.js";
import { parse } from "../../../grammar/syntax/index.js";

/** A deep copy of an AST (or anything) without its ranges: what "the same AST up to ranges" compares. */
export function withoutRanges<T>(node: T): T {
  if (Array.isArray(node)) return node.map(withoutRanges) as T;
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === "range" || k.endsWith("Range")) continue;
    out[k] = withoutRanges(v);
  }
  return out as T;
}

/** Parses `text` as `test.hcl`. */
export function parseText(text: string, name = "test.hcl") {
  return parse(new SourceFile(name, text));
}

/** `line:column` of a diagnostic's subject, as messages show it. */
export function at(range: Range | undefined): string {
  return range ? `${range.start.line}:${range.start.column}` : "-";
}

/** Every range found anywhere in `node`, with the path that leads to it (for "ranges lie inside the file"). */
export function allRanges(node: unknown, path = "$", out: [string, Range][] = []): [string, Range][] {
  if (Array.isArray(node)) node.forEach((n, i) => allRanges(n, `${path}[${i}]`, out));
  else if (node !== null && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if ((k === "range" || k.endsWith("Range") || k === "subject" || k === "context") && v !== undefined) out.push([`${path}.${k}`, v as Range]);
      else allRanges(v, `${path}.${k}`, out);
    }
  }
  return out;
}

/** Checks that a range is well-formed and inside a file of `length` characters; returns a problem or "". */
export function rangeProblem(r: Range, file: SourceFile): string {
  const { start, end } = r;
  const nums = [start.line, start.column, start.offset, end.line, end.column, end.offset];
  if (nums.some((n) => !Number.isInteger(n))) return `non-integer position ${JSON.stringify(r)}`;
  if (r.file !== file.name) return `wrong file ${r.file}`;
  if (start.offset < 0 || end.offset > file.text.length || start.offset > end.offset) return `offsets ${start.offset}-${end.offset} outside 0-${file.text.length}`;
  const s = file.pos(start.offset);
  const e = file.pos(end.offset);
  if (s.line !== start.line || s.column !== start.column || e.line !== end.line || e.column !== end.column) {
    return `line/column disagree with offsets: ${JSON.stringify(r)}`;
  }
  return "";
}
