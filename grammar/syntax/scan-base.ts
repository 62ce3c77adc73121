import type { IToken, TokenType } from "chevrotain";
import { errorAt, type Diagnostic } from "../source/diagnostic.js";
import { BRACE, BRACKET, closeText, closeType, CONTROL, INTERP, missingCloser, openText, PAREN, QUOTE, type Open } from "./brackets.js";
import type { Positions } from "./positions.js";
import { describeChar } from "./scan-chars.js";
import * as T from "./tokens.js";
import { makeToken, syntheticToken, type CommentSpan } from "./token.js";

/**
 * The scanner's state and what every mode shares: emitting tokens, opening and closing brackets (with the
 * repairs: a stray closer dropped, a mismatched one corrected on its line, what it skips closed), reporting
 * invalid characters. scan-templates.ts adds strings and heredocs, scan.ts the expression mode.
 */

export function isAsciiIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}
export function isAsciiIdentContinue(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45;
}

export abstract class ScannerBase {
  pos = 0;
  /** Where the region being scanned ends: the file's end, or the body end of the innermost heredoc. */
  limit: number;
  readonly tokens: IToken[] = [];
  readonly stack: Open[] = [];
  readonly heredocs: Open[] = [];
  readonly comments: CommentSpan[] = [];
  readonly diagnostics: Diagnostic[] = [];
  runaway = false;
  protected invalidRun: { start: number; end: number; index: number } | undefined;

  constructor(
    protected readonly text: string,
    protected readonly at: Positions,
  ) {
    this.limit = text.length;
  }

  protected emit(type: TokenType, start: number, end: number, image = this.text.slice(start, end)): IToken {
    const t = makeToken(type, image, start);
    this.tokens.push(t);
    this.pos = end;
    return t;
  }

  protected open(kind: number, type: TokenType, start: number, end: number, heredoc?: Partial<Open>): void {
    this.emit(type, start, end);
    this.stack.push({
      kind,
      index: this.tokens.length - 1,
      start,
      bodyEnd: heredoc?.bodyEnd ?? -1,
      closeEnd: heredoc?.closeEnd ?? -1,
      terminated: heredoc?.terminated ?? true,
    });
  }

  protected error(start: number, end: number, summary: string, detail: string, context?: [number, number]): void {
    const extra = context ? { context: this.at.range(context[0], context[1]) } : {};
    this.diagnostics.push(errorAt(this.at.range(start, end), summary, detail, extra));
  }

  protected invalid(start: number): void {
    const cp = this.text.codePointAt(start)!;
    const end = start + (cp > 0xffff ? 2 : 1);
    const run = this.invalidRun;
    if (run !== undefined && run.end === start && this.diagnostics.length - 1 === run.index) {
      run.end = end;
      this.diagnostics[run.index] = this.invalidDiagnostic(run.start, end);
    } else {
      this.invalidRun = { start, end, index: this.diagnostics.length };
      this.diagnostics.push(this.invalidDiagnostic(start, end));
    }
    this.pos = end;
  }

  protected invalidDiagnostic(start: number, end: number): Diagnostic {
    const chars = this.text.slice(start, end);
    const { name, hint } = describeChar(chars);
    return errorAt(
      this.at.range(start, end),
      `Invalid character ${name}`,
      `${chars.length > 1 && [...chars].length > 1 ? "These characters are" : "This character is"} not part of HCL syntax here.${hint ? ` ${hint}` : ""}`,
    );
  }

  protected closer(p: number, length: number, ch: "}" | "~}" | "]" | ")"): void {
    const stack = this.stack;
    const brace = ch === "}" || ch === "~}";
    const want = ch === "]" ? BRACKET : PAREN;
    let found = -1;
    for (let j = stack.length - 1; j >= 0; j--) {
      const k = stack[j]!.kind;
      if (k >= QUOTE) break;
      if (brace ? k === BRACE || k === INTERP || k === CONTROL : k === want) {
        found = j;
        break;
      }
      if (!brace && (k === INTERP || k === CONTROL)) break;
    }
    const top = stack[stack.length - 1];
    if (found === -1) {
      if (top !== undefined && top.kind <= PAREN && this.at.lineIndex(top.start) === this.at.lineIndex(p)) {
        this.error(
          p,
          p + length,
          `Expected "${closeText[top.kind]}" but found "${ch}"`,
          `The "${openText[top.kind]}" at ${this.at.where(top.start)} must be closed with "${closeText[top.kind]}".`,
        );
        this.emit(closeType[top.kind]!, p, p + length);
        stack.pop();
        return;
      }
      const opener = ch === "]" ? "[" : ch === ")" ? "(" : "{";
      this.error(p, p + length, `Unexpected "${ch}"`, `There is no open "${opener}" for this "${ch}" to close.`);
      this.pos = p + length;
      return;
    }
    this.unwind(found + 1, p);
    const entry = stack[found]!;
    let type = closeType[entry.kind]!;
    if (ch === "~}") {
      if (entry.kind === BRACE) {
        this.error(p, p + 1, 'Unexpected "~"', 'A strip marker "~}" can only end an interpolation ("${ … ~}") or a template directive ("%{ … ~}").');
      } else type = T.StripRBrace;
    }
    this.emit(type, p, p + length);
    stack.length = found;
  }

  /** Closes everything from stack index `from` up, inserting zero-width closers at `at`. */
  protected unwind(from: number, at: number): void {
    const stack = this.stack;
    for (let i = stack.length - 1; i >= from; i--) {
      const entry = stack[i]!;
      this.diagnostics.push(missingCloser(entry, at, this.tokens, this.at));
      this.tokens.push(syntheticToken(closeType[entry.kind]!, at));
    }
    stack.length = Math.min(stack.length, from);
  }
}
