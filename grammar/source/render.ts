import type { Diagnostic } from "./diagnostic.js";
import type { SourceFile } from "./file.js";
import { LIMITS } from "./limits.js";
import type { Pos, Range } from "./pos.js";

/** How to find the text of the file a diagnostic points into. */
export type SourceLookup = ReadonlyMap<string, SourceFile> | readonly SourceFile[] | ((name: string) => SourceFile | undefined);

export interface RenderOptions {
  /** ANSI colours (for a terminal); off by default. */
  readonly color: boolean;
  /** How many diagnostics `renderDiagnostics` shows before one line counting the rest. */
  readonly limit: number;
  /** The widest snippet line, in columns; a longer source line is cut around the range. */
  readonly width: number;
}

const defaults: Readonly<RenderOptions> = Object.freeze({ color: false, limit: LIMITS.diagnostics, width: LIMITS.snippetWidth });

const TAB_WIDTH = 4;

/**
 * A diagnostic as text, the way compilers print them:
 *
 * ```
 * slipway.hcl:12:5: error: Unsupported argument
 *   An argument named "fo" is not expected in image "app".
 *    12 |   fo = 1
 *       |   ^^
 *   hint: Did you mean "for"?
 * ```
 *
 * The caret line underlines the subject; a range over several lines is underlined to the end of its first
 * line, and a line wider than `width` is cut to a window around the range. A diagnostic without a subject
 * is about the file as a whole and has no snippet. Control characters (ESC above all) and bidirectional
 * overrides in any echoed text are shown escaped, so a declaration cannot drive the terminal.
 */
export function renderDiagnostic(d: Diagnostic, files: SourceLookup, options?: Partial<RenderOptions>): string {
  const { color, width } = { ...defaults, ...options };
  const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const severityCode = d.severity === "error" ? "1;31" : "1;33";
  const where = d.subject ? `${escapeControls(d.subject.file)}:${d.subject.start.line}:${d.subject.start.column}: ` : "";
  const lines = [`${paint("1", where)}${paint(severityCode, d.severity)}: ${paint("1", escapeControls(d.summary))}`];
  if (d.detail) for (const l of d.detail.split("\n")) lines.push(`  ${escapeControls(l)}`);
  const file = d.subject && lookup(files, d.subject.file);
  if (d.subject && file) lines.push(...snippet(d.subject, file, width, (s) => paint("36", s), (s) => paint(d.severity === "error" ? "31" : "33", s)));
  if (d.hint) lines.push(`  ${paint("32", "hint:")} ${d.hint.split("\n").map(escapeControls).join("\n  ")}`);
  return `${lines.join("\n")}\n`;
}

/**
 * Several diagnostics, each rendered as `renderDiagnostic` does, in the order given; past `limit`, one line
 * says how many more there are (a file with thousands of mistakes is still a short report).
 */
export function renderDiagnostics(diagnostics: readonly Diagnostic[], files: SourceLookup, options?: Partial<RenderOptions>): string {
  const { limit } = { ...defaults, ...options };
  const shown = diagnostics.slice(0, limit).map((d) => renderDiagnostic(d, files, options));
  const rest = diagnostics.slice(limit);
  if (rest.length > 0) {
    const errors = rest.filter((d) => d.severity === "error").length;
    const warnings = rest.length - errors;
    const parts = [errors > 0 ? `${errors} more error${errors === 1 ? "" : "s"}` : "", warnings > 0 ? `${warnings} more warning${warnings === 1 ? "" : "s"}` : ""];
    shown.push(`… and ${parts.filter((p) => p !== "").join(" and ")}, not shown.\n`);
  }
  return shown.join("");
}

/** Characters a terminal would act on: C0 controls but tab, DEL, C1 controls, and bidirectional controls. */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `s` with every control character written as an escape (`\x1b`, `\u202e`), so it prints inertly. */
export function escapeControls(s: string): string {
  return s.replace(CONTROL, controlEscape);
}

function controlEscape(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/**
 * The source line and the caret line under `range`. Each UTF-16 unit of the line becomes what is shown for
 * it (a tab its spaces, a control character its escape, the second half of a surrogate pair nothing), so
 * columns stay aligned; a line wider than `width` is shown as a window around the range, with "…" where it
 * was cut.
 */
function snippet(range: Range, file: SourceFile, width: number, gutter: (s: string) => string, mark: (s: string) => string): string[] {
  const n = range.start.line;
  const line = file.line(n);
  const startIndex = Math.min(line.length, Math.max(0, range.start.column - 1));
  const endIndex = range.end.line === n ? Math.min(line.length, Math.max(startIndex, range.end.column - 1)) : line.length;
  // Only the part of a long line that can be shown is measured (every unit shows as a column or more).
  const lo = Math.max(0, startIndex - width);
  const hi = Math.min(line.length, Math.max(endIndex, startIndex + 1) + width);
  const text = line.slice(lo, hi);
  const cells: string[] = [];
  const columns: number[] = []; // display column where each UTF-16 index of `text` starts
  let col = 0;
  for (let i = 0; i < text.length; i++) {
    columns.push(col);
    const c = text.charCodeAt(i);
    const high = c >= 0xd800 && c <= 0xdbff;
    const cell = c === 9 ? " ".repeat(TAB_WIDTH - (col % TAB_WIDTH)) : c >= 0xdc00 && c <= 0xdfff ? "" : high ? text.slice(i, i + 2) : isControl(c) ? controlEscape(text[i]!) : text[i]!;
    cells.push(cell);
    col += high ? 1 : cell.length;
  }
  const total = col;
  const columnAt = (index: number) => (index < text.length ? columns[index]! : total + (index - text.length));
  const from = columnAt(startIndex - lo);
  const to = Math.max(from + 1, columnAt(endIndex - lo));
  // The window: all of it if it fits, else `width` columns placed to show as much of the range as fits.
  let start = 0;
  let end = Math.max(total, to);
  if (end > width) {
    start = Math.max(0, Math.min(from - Math.max(0, Math.floor((width - (to - from)) / 2)), end - width));
    end = start + width;
  }
  let shown = "";
  for (let i = 0; i < text.length; i++) if (columns[i]! >= start && columns[i]! < end) shown += cells[i];
  const left = start > 0 || lo > 0 ? "…" : "";
  const right = end < total || hi < line.length ? "…" : "";
  const caretFrom = Math.max(from, start);
  const caretTo = Math.max(caretFrom + 1, Math.min(to, end));
  const number = String(n);
  const pad = " ".repeat(number.length);
  return [
    `  ${gutter(`${number} |`)} ${left}${shown}${right}`,
    `  ${gutter(`${pad} |`)} ${" ".repeat(caretFrom - start + left.length)}${mark("^".repeat(caretTo - caretFrom))}`,
  ];
}

function isControl(c: number): boolean {
  return (c < 0x20 && c !== 9) || (c >= 0x7f && c <= 0x9f) || c === 0x61c || c === 0x200e || c === 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

function lookup(files: SourceLookup, name: string): SourceFile | undefined {
  if (typeof files === "function") return files(name);
  if (files instanceof Map) return files.get(name);
  return (files as readonly SourceFile[]).find((f) => f.name === name);
}

/** A position in the JSON form: 1-based line and column (UTF-16 units), and the 0-based UTF-8 byte offset. */
export interface JsonPos {
  readonly line: number;
  readonly column: number;
  readonly byte: number;
}

/** The JSON form of a diagnostic, for tools and for the frontend's BuildKit source ranges. */
export interface JsonDiagnostic {
  readonly severity: Diagnostic["severity"];
  readonly summary: string;
  readonly detail?: string;
  readonly hint?: string;
  readonly subject?: { readonly file: string; readonly start: JsonPos; readonly end: JsonPos };
}

/**
 * Diagnostics as JSON data. Byte offsets come from the file's text (`SourceFile.byteOffset`); for a file
 * the lookup does not know, the UTF-16 offset is used, which is the same for ASCII text.
 */
export function diagnosticsToJson(diagnostics: readonly Diagnostic[], files: SourceLookup): JsonDiagnostic[] {
  return diagnostics.map((d) => {
    const file = d.subject && lookup(files, d.subject.file);
    const pos = (p: Pos): JsonPos => ({ line: p.line, column: p.column, byte: file ? file.byteOffset(p.offset) : p.offset });
    return {
      severity: d.severity,
      summary: d.summary,
      ...(d.detail !== undefined ? { detail: d.detail } : {}),
      ...(d.hint !== undefined ? { hint: d.hint } : {}),
      ...(d.subject ? { subject: { file: d.subject.file, start: pos(d.subject.start), end: pos(d.subject.end) } } : {}),
    };
  });
}
