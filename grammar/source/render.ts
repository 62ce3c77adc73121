import type { Diagnostic } from "./diagnostic.js";
import type { SourceFile } from "./file.js";
import type { Pos, Range } from "./pos.js";

/** How to find the text of the file a diagnostic points into. */
export type SourceLookup = ReadonlyMap<string, SourceFile> | readonly SourceFile[] | ((name: string) => SourceFile | undefined);

export interface RenderOptions {
  /** ANSI colours (for a terminal); off by default. */
  readonly color: boolean;
}

const defaults: Readonly<RenderOptions> = Object.freeze({ color: false });

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
 * line. A diagnostic without a subject is about the file as a whole and has no snippet.
 */
export function renderDiagnostic(d: Diagnostic, files: SourceLookup, options?: Partial<RenderOptions>): string {
  const { color } = { ...defaults, ...options };
  const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const severityCode = d.severity === "error" ? "1;31" : "1;33";
  const where = d.subject ? `${d.subject.file}:${d.subject.start.line}:${d.subject.start.column}: ` : "";
  const lines = [`${paint("1", where)}${paint(severityCode, d.severity)}: ${paint("1", d.summary)}`];
  if (d.detail) for (const l of d.detail.split("\n")) lines.push(`  ${l}`);
  const file = d.subject && lookup(files, d.subject.file);
  if (d.subject && file) lines.push(...snippet(d.subject, file, (s) => paint("36", s), (s) => paint(d.severity === "error" ? "31" : "33", s)));
  if (d.hint) lines.push(`  ${paint("32", "hint:")} ${d.hint}`);
  return `${lines.join("\n")}\n`;
}

/** Several diagnostics, each rendered as `renderDiagnostic` does, in the order given. */
export function renderDiagnostics(diagnostics: readonly Diagnostic[], files: SourceLookup, options?: Partial<RenderOptions>): string {
  return diagnostics.map((d) => renderDiagnostic(d, files, options)).join("");
}

function snippet(range: Range, file: SourceFile, gutter: (s: string) => string, mark: (s: string) => string): string[] {
  const n = range.start.line;
  const text = file.line(n);
  const shown = expandTabs(text);
  const from = displayColumn(text, range.start.column - 1);
  const lastColumn = range.end.line === n ? range.end.column - 1 : text.length;
  const to = Math.max(from + 1, displayColumn(text, lastColumn));
  const number = String(n);
  const pad = " ".repeat(number.length);
  return [
    `  ${gutter(`${number} |`)} ${shown}`,
    `  ${gutter(`${pad} |`)} ${" ".repeat(from)}${mark("^".repeat(to - from))}`,
  ];
}

/** The display column (tabs expanded) of a 0-based UTF-16 index into a line. */
function displayColumn(line: string, index: number): number {
  let col = 0;
  const end = Math.min(index, line.length);
  for (let i = 0; i < end; i++) {
    const c = line.charCodeAt(i);
    if (c === 9) col += TAB_WIDTH - (col % TAB_WIDTH);
    else if (c >= 0xdc00 && c <= 0xdfff) continue;
    else col++;
  }
  return col + Math.max(0, index - line.length);
}

function expandTabs(line: string): string {
  let out = "";
  for (const ch of line) out += ch === "\t" ? " ".repeat(TAB_WIDTH - (out.length % TAB_WIDTH)) : ch;
  return out;
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
