import type { IToken, TokenType } from "chevrotain";
import { errorAt, type Diagnostic } from "../source/diagnostic.js";
import type { Positions } from "./positions.js";
import * as T from "./tokens.js";

/** What the scanner keeps open — brackets, `${`/`%{`, strings, heredocs — and how to report one left open. */

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

export const openText = ["{", "[", "(", "${", "%{", '"', "<<"] as const;
export const closeText = ["}", "]", ")", "}", "}", '"', ""] as const;
export const closeType: readonly TokenType[] = [T.RBrace, T.RBracket, T.RParen, T.RBrace, T.RBrace, T.CQuote, T.HeredocClose];

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
