import type { IToken, TokenType } from "chevrotain";
import { errorAt, type Diagnostic } from "../source/diagnostic.js";
import type { Positions } from "./positions.js";
import { describeChar } from "./scan-chars.js";
import * as T from "./tokens.js";
import { makeToken, syntheticToken, type CommentSpan } from "./token.js";

/**
 * The scanner: text → tokens, comments and lexical diagnostics. It is written by hand rather than with
 * chevrotain's Lexer for two reasons. Speed: chevrotain's multi-mode lexer measured 150–270 ns per token
 * here (warm), half the parse budget for a 1 MiB file on its own; this scanner is several times faster.
 * Control: HCL's modes (expression, quoted string, heredoc, `${…}` inside either) form a stack that must
 * stay in step with bracket matching, and recovery has to manipulate that stack — close a string at the end
 * of its line, close what a heredoc left open at its end marker, drop a stray `}` — which a lexer whose modes
 * are only pushed and popped by token types cannot do.
 *
 * The scanner never fails: every character becomes part of a token, a comment, or a diagnostic, and
 * brackets come out balanced except for openers still open at the end of the file (see `closeAtEnd`).
 */

export const BRACE = 0;
export const BRACKET = 1;
export const PAREN = 2;
export const INTERP = 3;
export const CONTROL = 4;
export const QUOTE = 5;
export const HEREDOC = 6;

/** Something opened and not yet closed. */
export interface Open {
  readonly kind: number;
  /** Index of the opening token in the token list. */
  readonly index: number;
  readonly start: number;
  /** Heredocs: where the body ends (the closing line's start, or the enclosing limit if unterminated). */
  readonly bodyEnd: number;
  readonly closeEnd: number;
  readonly terminated: boolean;
}

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

export const openText = ["{", "[", "(", "${", "%{", '"', "<<"] as const;
export const closeText = ["}", "]", ")", "}", "}", '"', ""] as const;
export const closeType: readonly TokenType[] = [T.RBrace, T.RBracket, T.RParen, T.RBrace, T.RBrace, T.CQuote, T.HeredocClose];

const ID_START = /\p{ID_Start}/u;
const ID_CONTINUE = /\p{ID_Continue}/u;

function isAsciiIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}
function isAsciiIdentContinue(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45;
}
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

class Scanner {
  pos = 0;
  /** Where the region being scanned ends: the file's end, or the body end of the innermost heredoc. */
  limit: number;
  readonly tokens: IToken[] = [];
  readonly stack: Open[] = [];
  readonly heredocs: Open[] = [];
  readonly comments: CommentSpan[] = [];
  readonly diagnostics: Diagnostic[] = [];
  runaway = false;
  private invalidRun: { start: number; end: number; index: number } | undefined;

  constructor(
    private readonly text: string,
    private readonly at: Positions,
  ) {
    this.limit = text.length;
  }

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

  private emit(type: TokenType, start: number, end: number, image = this.text.slice(start, end)): IToken {
    const t = makeToken(type, image, start);
    this.tokens.push(t);
    this.pos = end;
    return t;
  }

  private open(kind: number, type: TokenType, start: number, end: number, heredoc?: Partial<Open>): void {
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

  private error(start: number, end: number, summary: string, detail: string, context?: [number, number]): void {
    const extra = context ? { context: this.at.range(context[0], context[1]) } : {};
    this.diagnostics.push(errorAt(this.at.range(start, end), summary, detail, extra));
  }

  // ---------------------------------------------------------------------------------------------------
  // expression mode

  private expression(): void {
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

  private identifier(start: number, firstLength: number): void {
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

  private number(start: number): void {
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

  private lineComment(start: number, style: "hash" | "slash"): void {
    const text = this.text;
    const nl = text.indexOf("\n", start);
    let end = nl === -1 || nl > this.limit ? this.limit : nl;
    if (end > start && text.charCodeAt(end - 1) === 13) end--;
    this.comments.push({ style, start, end });
    this.pos = end;
  }

  private blockComment(start: number): void {
    const close = this.text.indexOf("*/", start + 2);
    let end = close + 2;
    if (close === -1 || end > this.limit) {
      end = this.limit;
      this.error(start, start + 2, "Unterminated comment", `The comment opened with "/*" at ${this.at.where(start)} has no closing "*/".`);
    }
    this.comments.push({ style: "block", start, end });
    this.pos = end;
  }

  /** `<<EOT` or `<<-EOT`: finds the end marker and enters heredoc mode; false if this is not a heredoc. */
  private heredoc(start: number): boolean {
    const text = this.text;
    let q = start + 2;
    const indent = text.charCodeAt(q) === 45;
    if (indent) q++;
    const markerStart = q;
    if (!isAsciiIdentStart(text.charCodeAt(q))) return false;
    while (isAsciiIdentContinue(text.charCodeAt(q))) q++;
    const marker = text.slice(markerStart, q);
    let bodyStart: number;
    if (text.charCodeAt(q) === 10) bodyStart = q + 1;
    else if (text.charCodeAt(q) === 13 && text.charCodeAt(q + 1) === 10) bodyStart = q + 2;
    else {
      this.error(start, q, "Invalid heredoc", `A heredoc marker ("${text.slice(start, q)}") must be followed by a line break; the heredoc's text starts on the next line.`);
      this.tokens.push(makeToken(T.HeredocOpen, text.slice(start, q), start));
      this.tokens.push(syntheticToken(T.HeredocClose, q));
      this.pos = q;
      return true;
    }
    let bodyEnd = this.limit;
    let closeEnd = this.limit;
    let terminated = false;
    for (let lineStart = bodyStart; lineStart < this.limit; ) {
      const nl = text.indexOf("\n", lineStart);
      const lineEnd = nl === -1 || nl >= this.limit ? this.limit : nl;
      let s = lineStart;
      while (s < lineEnd && (text.charCodeAt(s) === 32 || text.charCodeAt(s) === 9)) s++;
      if (text.startsWith(marker, s)) {
        let e = s + marker.length;
        while (e < lineEnd && (text.charCodeAt(e) === 32 || text.charCodeAt(e) === 9 || text.charCodeAt(e) === 13)) e++;
        if (e === lineEnd) {
          bodyEnd = lineStart;
          closeEnd = s + marker.length;
          terminated = true;
          break;
        }
      }
      if (lineEnd === this.limit) break;
      lineStart = nl + 1;
    }
    if (!terminated) {
      this.runaway = true;
      this.error(
        start,
        q,
        `Unterminated heredoc "${marker}"`,
        `No line holding only "${marker}" closes the heredoc opened at ${this.at.where(start)}, so it runs to the end of the ${this.heredocs.length > 0 ? "enclosing heredoc" : "file"}.`,
      );
    }
    this.tokens.push(makeToken(T.HeredocOpen, text.slice(start, bodyStart), start));
    const entry: Open = { kind: HEREDOC, index: this.tokens.length - 1, start, bodyEnd, closeEnd, terminated };
    this.stack.push(entry);
    this.heredocs.push(entry);
    this.limit = bodyEnd;
    this.pos = bodyStart;
    return true;
  }

  /** `${` or `%{` in expression mode: a common slip (HCL 1 / old Terraform habits). */
  private templateOutsideString(start: number, seq: "${" | "%{"): void {
    const what = seq === "${" ? "Interpolation" : "A template directive";
    this.error(
      start,
      start + 2,
      `Unexpected "${seq}"`,
      `${what} ("${seq} … }") is only allowed inside a quoted string or a heredoc. Outside a string, write the expression itself, without "${seq}" and "}".`,
    );
    this.pos = start + 1; // the "{" is read on as a brace, so the rest of the line still parses
  }

  private invalid(start: number): void {
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

  private invalidDiagnostic(start: number, end: number): Diagnostic {
    const chars = this.text.slice(start, end);
    const { name, hint } = describeChar(chars);
    return errorAt(
      this.at.range(start, end),
      `Invalid character ${name}`,
      `${chars.length > 1 && [...chars].length > 1 ? "These characters are" : "This character is"} not part of HCL syntax here.${hint ? ` ${hint}` : ""}`,
    );
  }

  // ---------------------------------------------------------------------------------------------------
  // closing brackets

  private closer(p: number, length: number, ch: "}" | "~}" | "]" | ")"): void {
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
  private unwind(from: number, at: number): void {
    const stack = this.stack;
    for (let i = stack.length - 1; i >= from; i--) {
      const entry = stack[i]!;
      this.diagnostics.push(missingCloser(entry, at, this.tokens, this.at));
      this.tokens.push(syntheticToken(closeType[entry.kind]!, at));
    }
    stack.length = Math.min(stack.length, from);
  }

  // ---------------------------------------------------------------------------------------------------
  // quoted strings and heredoc bodies

  private quoted(): void {
    const text = this.text;
    const limit = this.limit;
    const start = this.pos;
    let q = start;
    while (q < limit) {
      const c = text.charCodeAt(q);
      if (c === 34 || c === 10 || (c === 13 && text.charCodeAt(q + 1) === 10)) break;
      if (c === 92) {
        const n = text.charCodeAt(q + 1);
        q += q + 1 >= limit || n === 10 || (n === 13 && text.charCodeAt(q + 2) === 10) ? 1 : 2;
        continue;
      }
      if (c === 36 || c === 37) {
        const n = text.charCodeAt(q + 1);
        if (n === 123) break;
        if (n === c && text.charCodeAt(q + 2) === 123) {
          q += 3;
          continue;
        }
      }
      q++;
    }
    if (q > start) {
      this.emit(T.QuotedText, start, q);
      return;
    }
    const c = text.charCodeAt(q);
    if (q >= limit || c === 10 || c === 13) return this.endOfLineInQuote();
    if (c === 34) {
      this.emit(T.CQuote, q, q + 1, '"');
      this.stack.pop();
      return;
    }
    this.templateOpen(q, c === 36);
  }

  private heredocText(): void {
    const text = this.text;
    const limit = this.limit;
    const start = this.pos;
    let q = start;
    while (q < limit) {
      const c = text.charCodeAt(q);
      if (c === 10) {
        q++;
        break;
      }
      if (c === 36 || c === 37) {
        const n = text.charCodeAt(q + 1);
        if (n === 123) break;
        if (n === c && text.charCodeAt(q + 2) === 123) {
          q += 3;
          continue;
        }
      }
      q++;
    }
    if (q > start) this.emit(T.HeredocText, start, q);
    else this.templateOpen(q, text.charCodeAt(q) === 36);
  }

  private templateOpen(p: number, interpolation: boolean): void {
    const length = this.text.charCodeAt(p + 2) === 126 ? 3 : 2;
    if (interpolation) this.open(INTERP, T.TemplateInterp, p, p + length);
    else this.open(CONTROL, T.TemplateControl, p, p + length);
  }

  /**
   * A line break (or the end of the input) inside a quoted string: the string is unterminated. Everything
   * opened on this line from its outermost string up is closed, so the next line starts clean.
   */
  private endOfLineInQuote(): void {
    const stack = this.stack;
    const at = this.pos;
    const line = this.at.lineIndex(Math.max(0, Math.min(at, this.text.length) - 1));
    let from = -1;
    for (let i = stack.length - 1; i >= 0; i--) {
      const entry = stack[i]!;
      if (entry.kind === HEREDOC) break;
      if (entry.kind === QUOTE && (from === -1 || this.at.lineIndex(entry.start) === line)) from = i;
    }
    // The likely mistake: an interpolation left open, so its closing quote was read as a new string.
    let culprit: Open | undefined;
    let innerQuote: Open | undefined;
    for (let i = stack.length - 1; i > from; i--) {
      const entry = stack[i]!;
      if (entry.kind === QUOTE) innerQuote = entry;
      else if ((entry.kind === INTERP || entry.kind === CONTROL) && innerQuote !== undefined) culprit = entry;
    }
    if (culprit !== undefined && innerQuote !== undefined) {
      const what = openText[culprit.kind];
      this.error(
        innerQuote.start,
        innerQuote.start,
        `Missing "}" to close "${what}" opened at ${this.at.where(culprit.start)}`,
        `The "${what}" at ${this.at.where(culprit.start)} is not closed before the string's closing quote.`,
        [culprit.start, at],
      );
    } else {
      const quote = stack[stack.length - 1]!.kind === QUOTE ? stack[stack.length - 1]! : stack[from]!;
      this.error(
        quote.start,
        at,
        "Unterminated string",
        `The string that starts at ${this.at.where(quote.start)} has no closing quote (") on its line. A quoted string must end on the line where it starts; for text over several lines use a heredoc (<<EOT … EOT).`,
      );
    }
    for (let i = stack.length - 1; i >= from; i--) this.tokens.push(syntheticToken(closeType[stack[i]!.kind]!, at));
    stack.length = from;
  }

  /** The scanner reached the end of the innermost heredoc's body: close what is open inside it, then it. */
  private endHeredocBody(): void {
    const heredoc = this.heredocs.pop()!;
    const index = this.stack.lastIndexOf(heredoc);
    const above = this.stack[this.stack.length - 1];
    if (above !== undefined && above.kind === QUOTE) this.endOfLineInQuote();
    this.unwind(index + 1, this.pos);
    if (heredoc.terminated) {
      const lineStart = heredoc.bodyEnd;
      this.emit(T.HeredocClose, lineStart, heredoc.closeEnd);
    } else {
      this.tokens.push(syntheticToken(T.HeredocClose, this.limit));
    }
    this.stack.length = index;
    this.limit = this.heredocs.length > 0 ? this.heredocs[this.heredocs.length - 1]!.bodyEnd : this.text.length;
  }
}

/** "Missing closing brace for block "image" opened at 3:1", or the generic form for other brackets. */
export function missingCloser(entry: Open, at: number, tokens: readonly IToken[], positions: Positions): Diagnostic {
  const where = positions.where(entry.start);
  const context = positions.range(entry.start, at);
  const subject = positions.range(at, at);
  if (entry.kind === QUOTE) {
    return errorAt(positions.range(entry.start, at), "Unterminated string", `The string that starts at ${where} has no closing quote (").`);
  }
  if (entry.kind === BRACE) {
    const block = blockTypeBefore(tokens, entry.index);
    if (block !== undefined) {
      const opened = positions.where(block.startOffset);
      return errorAt(subject, `Missing closing brace for block "${block.image}" opened at ${opened}`, `Add "}" to end the "${block.image}" block before this point.`, {
        context: positions.range(block.startOffset, at),
      });
    }
  }
  const open = openText[entry.kind];
  const close = closeText[entry.kind];
  return errorAt(subject, `Missing "${close}" to close "${open}" opened at ${where}`, `Add "${close}" before this point.`, { context });
}

const identTypes = new Set<TokenType>([T.Identifier, ...T.keywords.values()]);

/** The block's type token when the `{` at `open` starts a block body (`type "label" ident {`). */
export function blockTypeBefore(tokens: readonly IToken[], open: number): IToken | undefined {
  let type: IToken | undefined;
  let i = open - 1;
  while (i >= 0) {
    const t = tokens[i]!.tokenType;
    if (t === T.Newline || t === T.LBrace || t === T.RBrace) break;
    if (t === T.CQuote) {
      let depth = 0;
      for (; i >= 0; i--) {
        const u = tokens[i]!.tokenType;
        if (u === T.CQuote) depth++;
        else if (u === T.OQuote && --depth === 0) break;
      }
      type = undefined;
    } else if (identTypes.has(t)) type = tokens[i]!;
    else return undefined;
    i--;
  }
  return type;
}
