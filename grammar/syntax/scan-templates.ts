import { CONTROL, HEREDOC, INTERP, QUOTE, closeType, openText, type Open } from "./brackets.js";
import { isAsciiIdentContinue, isAsciiIdentStart, ScannerBase } from "./scan-base.js";
import * as T from "./tokens.js";
import { makeToken, syntheticToken } from "./token.js";

/**
 * The template modes of the scanner: quoted strings (single-line, with escapes) and heredocs (the body is
 * found by its end marker first, then scanned line by line), with `${ … }` and `%{ … }` switching to
 * expression mode until their `}`.
 */
export abstract class TemplateScanner extends ScannerBase {
  /** `<<EOT` or `<<-EOT`: finds the end marker and enters heredoc mode; false if this is not a heredoc. */
  protected heredoc(start: number): boolean {
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

  protected quoted(): void {
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
        const step = templateIntroducer(text, q, c);
        if (step === 0) break;
        q += step;
        continue;
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

  protected heredocText(): void {
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
        const step = templateIntroducer(text, q, c);
        if (step === 0) break;
        q += step;
        continue;
      }
      q++;
    }
    if (q > start) this.emit(T.HeredocText, start, q);
    else this.templateOpen(q, text.charCodeAt(q) === 36);
  }

  protected templateOpen(p: number, interpolation: boolean): void {
    const length = this.text.charCodeAt(p + 2) === 126 ? 3 : 2;
    if (interpolation) this.open(INTERP, T.TemplateInterp, p, p + length);
    else this.open(CONTROL, T.TemplateControl, p, p + length);
  }

  /**
   * A line break (or the end of the input) inside a quoted string: the string is unterminated. Everything
   * opened on this line from its outermost string up is closed, so the next line starts clean.
   */
  protected endOfLineInQuote(): void {
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
  protected endHeredocBody(): void {
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

/**
 * At a `$` or `%` (code `c`) in template text: 0 when it opens an interpolation or directive (`${`, `%{`),
 * 3 past an escaped one (`$${`, `%%{`, which stay literal text), else 1 (a plain character).
 */
function templateIntroducer(text: string, q: number, c: number): number {
  const n = text.charCodeAt(q + 1);
  if (n === 123) return 0;
  return n === c && text.charCodeAt(q + 2) === 123 ? 3 : 1;
}
