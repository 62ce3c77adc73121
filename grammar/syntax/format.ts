import type { TokenType } from "chevrotain";
import { hasErrors, type Diagnostic } from "../source/diagnostic.js";
import { SourceFile } from "../source/file.js";
import { isCloser, isOpener, linesOf, rolesOf, type Atom, type Roles } from "./format-layout.js";
import { parseWithTokens } from "./parse.js";
import * as T from "./tokens.js";

export interface FormatResult {
  /** The formatted text; the input unchanged when it has syntax errors. */
  readonly text: string;
  /** The syntax diagnostics of the input (formatting adds none). */
  readonly diagnostics: Diagnostic[];
}

/**
 * Canonical layout, as `terraform fmt` does it: two-space indentation by bracket nesting, one space around
 * operators and after commas, `=` aligned within runs of consecutive single-line attributes (and object
 * items), at most one blank line in a row and none just inside brackets, empty brackets closed up (`{}`),
 * one line break at the end. Line breaks are the author's; comments stay where they are; strings and
 * heredocs are copied verbatim. The result parses to the same AST (ranges aside), and formatting it again
 * changes nothing. A file with syntax errors is returned unchanged, with its diagnostics.
 *
 * @example
 * const { text, diagnostics } = format(source, "slipway.hcl");
 */
export function format(text: string, fileName = "<input>"): FormatResult {
  const { result, tokens } = parseWithTokens(new SourceFile(fileName, text));
  if (hasErrors(result.diagnostics)) return { text, diagnostics: result.diagnostics };
  const roles = rolesOf(result.file, text);
  const lines = linesOf(tokens.tokens, tokens.comments, text);
  return { text: render(lines, roles), diagnostics: result.diagnostics };
}

interface Rendered {
  indent: number;
  /** Separators before each atom (the first is ""), then the atoms' text, interleaved at render time. */
  readonly atoms: Atom[];
  readonly gaps: string[];
  readonly align?: { readonly container: object; readonly eq: number };
}

function render(lines: readonly Atom[][], roles: Roles): string {
  const out: (Rendered | "blank")[] = [];
  const stack: number[] = []; // the indentation of the line that opened each open bracket
  let blank = false;
  let afterOpener = true; // at the start of the file, as after an opening bracket: no blank line
  for (const line of lines) {
    if (line.length === 0) {
      blank = true;
      continue;
    }
    const first = line[0]!;
    const indent = isCloser(first) ? (stack[stack.length - 1] ?? 0) : stack.length > 0 ? stack[stack.length - 1]! + 1 : 0;
    if (blank && !afterOpener && !isCloser(first)) out.push("blank");
    blank = false;
    const gaps = line.map((a, i) => (i === 0 ? "" : spaced(line[i - 1]!, a, line[i + 1], roles) ? " " : ""));
    const found = roles.align.get(first.start);
    const singleLine = found !== undefined && line[line.length - 1]!.end >= found.end && !line.some((a) => a.text.includes("\n"));
    const info = singleLine ? found : undefined;
    const eq = info === undefined ? -1 : line.findIndex((a) => a.type === T.Assign && a.start >= info.after);
    out.push({ indent, atoms: line, gaps, ...(info !== undefined && eq > 0 ? { align: { container: info.container, eq } } : {}) });
    for (const a of line) {
      if (isOpener(a)) stack.push(indent);
      else if (isCloser(a)) stack.pop();
    }
    let last = line.length - 1;
    while (last > 0 && line[last]!.type === undefined) last--;
    afterOpener = isOpener(line[last]);
  }
  alignEquals(out);
  let text = "";
  for (const line of out) {
    if (line === "blank") {
      text += "\n";
      continue;
    }
    text += "  ".repeat(line.indent);
    for (let i = 0; i < line.atoms.length; i++) text += line.gaps[i]! + line.atoms[i]!.text;
    text += "\n";
  }
  return text;
}

/** Pads before `=` so that it lines up within each run of consecutive alignable lines of one container. */
function alignEquals(lines: (Rendered | "blank")[]): void {
  let run: Rendered[] = [];
  const close = (): void => {
    if (run.length > 1) {
      const widths = run.map((l) => width(l, l.align!.eq));
      const max = Math.max(...widths);
      run.forEach((l, i) => (l.gaps[l.align!.eq] = " ".repeat(max - widths[i]! + 1)));
    }
    run = [];
  };
  for (const line of lines) {
    if (line === "blank" || line.align === undefined || (run.length > 0 && run[0]!.align!.container !== line.align.container)) close();
    if (line !== "blank" && line.align !== undefined) run.push(line);
  }
  close();
}

function width(line: Rendered, upTo: number): number {
  let w = 0;
  for (let i = 0; i < upTo; i++) w += (i === 0 ? 0 : line.gaps[i]!.length) + line.atoms[i]!.text.length;
  return w;
}

const noSpaceBefore = new Set<TokenType | undefined>([T.Comma, T.RParen, T.RBracket, T.Ellipsis, T.Dot]);
const noSpaceAfter = new Set<TokenType | undefined>([T.LParen, T.LBracket, T.Dot]);

/** Whether one space separates `a` and the atom `b` after it on a line. */
function spaced(a: Atom, b: Atom, after: Atom | undefined, roles: Roles): boolean {
  if (a.type === undefined || b.type === undefined) return true; // comments keep a space on both sides
  if (b.type === T.Dot) return a.type === T.NumberLit && after?.type === T.NumberLit; // `a.0 .1` must not become `a.0.1`
  if (noSpaceBefore.has(b.type) || noSpaceAfter.has(a.type)) return false;
  if (a.type === T.LBrace && b.type === T.RBrace) return false;
  if (roles.tight.has(b.start) || roles.unary.has(a.start)) return false;
  return true;
}
