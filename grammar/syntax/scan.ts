import type { IToken } from "chevrotain";
import type { Diagnostic } from "../source/diagnostic.js";
import { BRACE, BRACKET, PAREN, QUOTE, type Open } from "./brackets.js";
import type { Positions } from "./positions.js";
import { isAsciiIdentContinue, isAsciiIdentStart } from "./scan-base.js";
import { TemplateScanner } from "./scan-templates.js";
import * as T from "./tokens.js";
import type { CommentSpan } from "./token.js";

/**
 * The scanner: text → tokens, comments and lexical diagnostics. It is written by hand rather than with
 * chevrotain's Lexer because HCL's modes (expression, quoted string, heredoc, `${…}` inside either) form a
 * stack that must stay in step with bracket matching, and recovery has to edit that stack: close a string
 * at the end of its line along with what was opened inside it, close what a heredoc left open at its end
 * marker, drop a stray `}` instead of popping a mode. A lexer whose modes are only pushed and popped by
 * token types cannot do that, and heredocs would need a custom matcher and a second lexing pass anyway.
 * Speed is not the reason: measured on the same 1 MiB declaration, chevrotain's Lexer and this scanner take
 * about the same time.
 *
 * The scanner never fails: every character becomes part of a token, a comment, or a diagnostic, and
 * brackets come out balanced except for openers still open at the end of the file (see `closeAtEnd`).
 */

export interface ScanResult {
  /** Every token including line breaks, heredocs expanded into open, text lines and close. */
  readonly tokens: IToken[];
  readonly comments: CommentSpan[];
  readonly diagnostics: Diagnostic[];
  /** Brackets still open at the end of the file, outermost first. */
  readonly unclosed: Open[];
  /** A heredoc without its end marker swallowed the rest of the file (so later errors are consequences). */
  readonly runaway: boolean;
}

const ID_START = /\p{ID_Start}/u;
const ID_CONTINUE = /\p{ID_Continue}/u;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function scan(text: string, at: Positions): ScanResult {
  const scanner = new Scanner(text, at);
  scanner.run();
  return {
    tokens: scanner.tokens,
    comments: scanner.comments,
    diagnostics: scanner.diagnostics,
    unclosed: scanner.stack,
    runaway: scanner.runaway,
  };
}

class Scanner extends TemplateScanner {
  run(): void {
    for (;;) {
      if (this.pos >= this.limit) {
        if (this.heredocs.length === 0) break;
        this.endHeredocBody();
        continue;
      }
      const top = this.stack[this.stack.length - 1];
      if (top === undefined || top.kind < QUOTE) this.expression();
      else if (top.kind === QUOTE) this.quoted();
      else this.heredocText();
    }
    const top = this.stack[this.stack.length - 1];
    if (top !== undefined && top.kind === QUOTE) this.endOfLineInQuote();
  }

  // long because: the scanner's hot loop: one switch on the next character code, kept whole so each character costs one dispatch.
  protected expression(): void {
    const text = this.text;
    let p = this.pos;
    let c = text.charCodeAt(p);
    while (c === 32 || c === 9 || c === 0xfeff || (c === 13 && text.charCodeAt(p + 1) !== 10)) c = text.charCodeAt(++p);
    this.pos = p;
    if (p >= this.limit) return;
    if (isAsciiIdentStart(c)) return this.identifier(p, 1);
    if (isDigit(c)) return this.number(p);
    const next = text.charCodeAt(p + 1);
    switch (c) {
      case 10:
        this.emit(T.Newline, p, p + 1, "\n");
        return;
      case 13:
        this.emit(T.Newline, p, p + 2, "\r\n");
        return;
      case 35: // #
        return this.lineComment(p, "hash");
      case 47: // /
        if (next === 47) return this.lineComment(p, "slash");
        if (next === 42) return this.blockComment(p);
        this.emit(T.Slash, p, p + 1, "/");
        return;
      case 34: // "
        this.open(QUOTE, T.OQuote, p, p + 1);
        return;
      case 123: // {
        this.open(BRACE, T.LBrace, p, p + 1);
        return;
      case 91: // [
        this.open(BRACKET, T.LBracket, p, p + 1);
        return;
      case 40: // (
        this.open(PAREN, T.LParen, p, p + 1);
        return;
      case 125: // }
        return this.closer(p, 1, "}");
      case 93: // ]
        return this.closer(p, 1, "]");
      case 41: // )
        return this.closer(p, 1, ")");
      case 126: // ~
        if (next === 125) return this.closer(p, 2, "~}");
        return this.invalid(p);
      case 61: // =
        if (next === 61) this.emit(T.EqEq, p, p + 2, "==");
        else if (next === 62) this.emit(T.FatArrow, p, p + 2, "=>");
        else this.emit(T.Assign, p, p + 1, "=");
        return;
      case 33: // !
        if (next === 61) this.emit(T.NotEq, p, p + 2, "!=");
        else this.emit(T.Bang, p, p + 1, "!");
        return;
      case 60: // <
        if (next === 60 && this.heredoc(p)) return;
        if (next === 61) this.emit(T.LtEq, p, p + 2, "<=");
        else this.emit(T.Lt, p, p + 1, "<");
        return;
      case 62: // >
        if (next === 61) this.emit(T.GtEq, p, p + 2, ">=");
        else this.emit(T.Gt, p, p + 1, ">");
        return;
      case 38: // &
        if (next === 38) this.emit(T.AndAnd, p, p + 2, "&&");
        else this.invalid(p);
        return;
      case 124: // |
        if (next === 124) this.emit(T.OrOr, p, p + 2, "||");
        else this.invalid(p);
        return;
      case 43:
        this.emit(T.Plus, p, p + 1, "+");
        return;
      case 45:
        this.emit(T.Minus, p, p + 1, "-");
        return;
      case 42:
        this.emit(T.Star, p, p + 1, "*");
        return;
      case 63:
        this.emit(T.Question, p, p + 1, "?");
        return;
      case 58:
        this.emit(T.Colon, p, p + 1, ":");
        return;
      case 44:
        this.emit(T.Comma, p, p + 1, ",");
        return;
      case 46: // .
        if (next === 46 && text.charCodeAt(p + 2) === 46) this.emit(T.Ellipsis, p, p + 3, "...");
        else this.emit(T.Dot, p, p + 1, ".");
        return;
      case 37: // %
        if (next === 123) return this.templateOutsideString(p, "%{");
        this.emit(T.Percent, p, p + 1, "%");
        return;
      case 36: // $
        if (next === 123) return this.templateOutsideString(p, "${");
        return this.invalid(p);
    }
    if (c >= 128) {
      const cp = text.codePointAt(p)!;
      const ch = String.fromCodePoint(cp);
      if (ID_START.test(ch)) return this.identifier(p, ch.length);
    }
    this.invalid(p);
  }

  protected identifier(start: number, firstLength: number): void {
    const text = this.text;
    let q = start + firstLength;
    for (;;) {
      const c = text.charCodeAt(q);
      if (isAsciiIdentContinue(c)) {
        q++;
        continue;
      }
      if (c >= 128 && q < this.limit) {
        const ch = String.fromCodePoint(text.codePointAt(q)!);
        if (ID_CONTINUE.test(ch)) {
          q += ch.length;
          continue;
        }
      }
      break;
    }
    const image = text.slice(start, q);
    // Keywords are 2 to 6 letters starting with e, f, i, n or t: most names skip the map.
    const c = text.charCodeAt(start);
    const maybeKeyword = q - start <= 6 && q - start >= 2 && (c === 101 || c === 102 || c === 105 || c === 110 || c === 116);
    this.emit((maybeKeyword && T.keywords.get(image)) || T.Identifier, start, q, image);
  }

  protected number(start: number): void {
    const text = this.text;
    let q = start + 1;
    while (isDigit(text.charCodeAt(q))) q++;
    if (text.charCodeAt(q) === 46 && isDigit(text.charCodeAt(q + 1))) {
      q += 2;
      while (isDigit(text.charCodeAt(q))) q++;
    }
    const e = text.charCodeAt(q);
    if (e === 101 || e === 69) {
      let r = q + 1;
      const sign = text.charCodeAt(r);
      if (sign === 43 || sign === 45) r++;
      if (isDigit(text.charCodeAt(r))) {
        q = r + 1;
        while (isDigit(text.charCodeAt(q))) q++;
      }
    }
    this.emit(T.NumberLit, start, q);
  }

  protected lineComment(start: number, style: "hash" | "slash"): void {
    const text = this.text;
    const nl = text.indexOf("\n", start);
    let end = nl === -1 || nl > this.limit ? this.limit : nl;
    if (end > start && text.charCodeAt(end - 1) === 13) end--;
    this.comments.push({ style, start, end });
    this.pos = end;
  }

  protected blockComment(start: number): void {
    const close = this.text.indexOf("*/", start + 2);
    let end = close + 2;
    if (close === -1 || end > this.limit) {
      end = this.limit;
      this.error(start, start + 2, "Unterminated comment", `The comment opened with "/*" at ${this.at.where(start)} has no closing "*/".`);
    }
    this.comments.push({ style: "block", start, end });
    this.pos = end;
  }

  /** `${` or `%{` in expression mode: a common slip (HCL 1 / old Terraform habits). */
  protected templateOutsideString(start: number, seq: "${" | "%{"): void {
    const what = seq === "${" ? "Interpolation" : "A template directive";
    this.error(
      start,
      start + 2,
      `Unexpected "${seq}"`,
      `${what} ("${seq} … }") is only allowed inside a quoted string or a heredoc. Outside a string, write the expression itself, without "${seq}" and "}".`,
    );
    this.pos = start + 1; // the "{" is read on as a brace, so the rest of the line still parses
  }
}
