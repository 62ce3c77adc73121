import type { IToken, TokenType } from "chevrotain";
import type { FileNode } from "./ast.js";
import * as T from "./tokens.js";
import { tokenEnd, type CommentSpan } from "./token.js";

/**
 * What `format` works on: the file as lines of atoms, and the roles of some atoms that only the AST knows.
 *
 * An atom is a token, a comment, or a whole quoted string or heredoc (kept verbatim: formatting never looks
 * inside templates). Lines are the author's lines: formatting changes the space between atoms and the
 * indentation, never where lines break (except that empty brackets close up: `{\n}` → `{}`).
 */

export interface Atom {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** The token type; strings are OQuote, heredocs HeredocOpen; undefined for comments. */
  readonly type: TokenType | undefined;
}

const openers = new Set<TokenType>([T.LBrace, T.LBracket, T.LParen]);
const closers = new Set<TokenType>([T.RBrace, T.RBracket, T.RParen]);

export function isOpener(a: Atom | undefined): boolean {
  return a?.type !== undefined && openers.has(a.type);
}
export function isCloser(a: Atom | undefined): boolean {
  return a?.type !== undefined && closers.has(a.type);
}

/** The file's lines (empty arrays are blank lines), from the parser's tokens and the comments. */
export function linesOf(tokens: readonly IToken[], comments: readonly CommentSpan[], text: string): Atom[][] {
  const atoms: (Atom | "newline")[] = [];
  let c = 0;
  const pushCommentsBefore = (offset: number): void => {
    for (; c < comments.length && comments[c]!.start < offset; c++) {
      const span = comments[c]!;
      const body = text.slice(span.start, span.end);
      atoms.push({ text: span.style === "block" ? body : body.trimEnd(), start: span.start, end: span.end, type: undefined });
    }
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    pushCommentsBefore(t.startOffset);
    const type = t.tokenType;
    if (type === T.Newline) {
      atoms.push("newline");
      continue;
    }
    if (type === T.OQuote || type === T.HeredocOpen) {
      const close = type === T.OQuote ? T.CQuote : T.HeredocClose;
      let depth = 0;
      let j = i;
      for (; j < tokens.length; j++) {
        const u = tokens[j]!.tokenType;
        if (u === type) depth++;
        else if (u === close && --depth === 0) break;
      }
      const end = tokenEnd(tokens[Math.min(j, tokens.length - 1)]!);
      atoms.push({ text: text.slice(t.startOffset, end), start: t.startOffset, end, type });
      while (c < comments.length && comments[c]!.start < end) c++; // comments inside interpolations stay verbatim
      i = j;
      continue;
    }
    atoms.push({ text: t.image, start: t.startOffset, end: tokenEnd(t), type });
  }
  pushCommentsBefore(Infinity);

  // Empty brackets close up: `{` followed by nothing but line breaks before its `}`.
  const kept: (Atom | "newline")[] = [];
  for (let i = 0; i < atoms.length; i++) {
    const a = atoms[i]!;
    kept.push(a);
    if (a !== "newline" && isOpener(a)) {
      let j = i + 1;
      while (atoms[j] === "newline") j++;
      if (j > i + 1 && isCloser(atoms[j] as Atom)) i = j - 1;
    }
  }

  const lines: Atom[][] = [[]];
  for (const a of kept) {
    if (a === "newline") lines.push([]);
    else lines[lines.length - 1]!.push(a);
  }
  return lines;
}

/** Roles of atoms, by offset, that decide spacing and alignment. */
export interface Roles {
  /** Atoms written without a space before them: a call's `(`, an index's `[`, an object item's `:`. */
  readonly tight: ReadonlySet<number>;
  /** Unary operators: no space after them. */
  readonly unary: ReadonlySet<number>;
  /**
   * Attributes and `=` object items, by the offset of their first atom: they take part in `=` alignment
   * when they start a line and end on it (judged on the output lines, where empty brackets have closed up).
   */
  readonly align: ReadonlyMap<number, { readonly container: object; readonly after: number; readonly end: number }>;
}

/** Walks the AST once to find the roles. */
export function rolesOf(file: FileNode, text: string): Roles {
  const tight = new Set<number>();
  const unary = new Set<number>();
  const align = new Map<number, { container: object; after: number; end: number }>();
  // past what the scanner skips between tokens (scan.ts): spaces, tabs, BOMs and a CR not ending a line
  const next = (offset: number): number => {
    let i = offset;
    for (let c = text.charCodeAt(i); c === 32 || c === 9 || c === 0xfeff || (c === 13 && text.charCodeAt(i + 1) !== 10); c = text.charCodeAt(++i));
    return i;
  };
  const markIf = (offset: number, ch: string): void => {
    const i = next(offset);
    if (text[i] === ch) tight.add(i);
  };
  const visit = (node: unknown, parent: object | undefined): void => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n, parent);
      return;
    }
    if (node === null || typeof node !== "object") return;
    const n = node as Record<string, unknown> & { kind?: string; range?: { start: { offset: number; line: number }; end: { line: number } } };
    switch (n.kind) {
      case "unary":
        unary.add(n.range!.start.offset);
        break;
      case "call":
        markIf((n.nameRange as { end: { offset: number } }).end.offset, "(");
        break;
      case "index":
        markIf((n.collection as { range: { end: { offset: number } } }).range.end.offset, "[");
        break;
      case "splatItem":
        if (text[n.range!.start.offset] === "[") tight.add(n.range!.start.offset);
        break;
      case "attribute":
        if (parent !== undefined) {
          const after = (n.nameRange as { end: { offset: number } }).end.offset;
          align.set(n.range!.start.offset, { container: parent, after, end: (n.range as unknown as { end: { offset: number } }).end.offset });
        }
        break;
      case "object":
        for (const item of n.items as { key: { range: { start: { offset: number }; end: { offset: number } } }; separator: string; range: { end: { offset: number } } }[]) {
          if (item.separator === ":") markIf(item.key.range.end.offset, ":");
          else align.set(item.key.range.start.offset, { container: n, after: item.key.range.end.offset, end: item.range.end.offset });
        }
        break;
    }
    const container = n.kind === "body" ? n : parent;
    for (const [k, v] of Object.entries(n)) if (k !== "range" && !k.endsWith("Range")) visit(v, container);
  };
  visit(file, undefined);
  return { tight, unary, align };
}
