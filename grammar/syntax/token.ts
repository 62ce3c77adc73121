import type { IToken, TokenType } from "chevrotain";

/**
 * Token instances as the parser consumes them. `endOffset` is inclusive, as chevrotain has it; use
 * `tokenEnd` for the exclusive end the rest of slipway uses. Tokens the scanner inserts to repair the input
 * (a missing `}` or closing quote) are zero-width and carry `isInsertedInRecovery`.
 *
 * Every token is created here with the same fields in the same order, so they share one object shape.
 */
export function makeToken(type: TokenType, image: string, start: number, end: number, payload?: unknown): IToken {
  return {
    image,
    startOffset: start,
    endOffset: end - 1,
    tokenTypeIdx: type.tokenTypeIdx!,
    tokenType: type,
    isInsertedInRecovery: false,
    payload,
  };
}

/** A zero-width token standing in for one the input lacks. */
export function syntheticToken(type: TokenType, at: number): IToken {
  const t = makeToken(type, "", at, at);
  t.isInsertedInRecovery = true;
  return t;
}

/** The exclusive end offset of a token. */
export function tokenEnd(t: IToken): number {
  return t.endOffset! + 1;
}

/** What a heredoc's opening token carries. */
export interface HeredocInfo {
  readonly marker: string;
  /** `<<-`: strip the common leading whitespace. */
  readonly indent: boolean;
}

/** A comment as the scanner found it (comments are not tokens: the parser never sees them). */
export interface CommentSpan {
  readonly style: "hash" | "slash" | "block";
  readonly start: number;
  readonly end: number;
}
