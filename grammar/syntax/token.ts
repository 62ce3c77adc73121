import type { IToken, TokenType } from "chevrotain";

/**
 * Token instances as the parser consumes them: only the four fields chevrotain and slipway read, all
 * created here in the same order so they share one object shape. A parse keeps every token alive until it
 * ends, so their size shows directly in garbage-collection time. The image is always the exact source text,
 * so the end offset is `startOffset + image.length` (`tokenEnd`); tokens the scanner inserts to repair the
 * input (a missing `}` or closing quote) are exactly the empty ones (`isSynthetic`).
 */
export function makeToken(type: TokenType, image: string, start: number): IToken {
  return { image, startOffset: start, tokenTypeIdx: type.tokenTypeIdx!, tokenType: type };
}

/** A zero-width token standing in for one the input lacks. */
export function syntheticToken(type: TokenType, at: number): IToken {
  return makeToken(type, "", at);
}

export function isSynthetic(t: IToken): boolean {
  return t.image.length === 0;
}

/** The exclusive end offset of a token. */
export function tokenEnd(t: IToken): number {
  return t.startOffset + t.image.length;
}

/** What a heredoc's opening token says (`<<EOT` or `<<-EOT`, then its line break). */
export interface HeredocInfo {
  readonly marker: string;
  /** `<<-`: strip the common leading whitespace. */
  readonly indent: boolean;
}

export function heredocInfo(open: IToken): HeredocInfo {
  const indent = open.image.charCodeAt(2) === 45;
  return { marker: open.image.slice(indent ? 3 : 2).replace(/\r?\n$/, ""), indent };
}

/** A comment as the scanner found it (comments are not tokens: the parser never sees them). */
export interface CommentSpan {
  readonly style: "hash" | "slash" | "block";
  readonly start: number;
  readonly end: number;
}
