import type { IToken, TokenType } from "chevrotain";
import type { Diagnostic } from "../source/diagnostic.js";
import type { Positions } from "./positions.js";
import { BRACE, BRACKET, closeType, missingCloser, PAREN, type Open } from "./brackets.js";
import * as T from "./tokens.js";
import { syntheticToken } from "./token.js";

/**
 * Closes what is still open at the end of the file, and prepares the token list for the parser.
 *
 * When braces are unbalanced, the usual mistake is one forgotten `}` somewhere in the middle, not at the
 * end. So before falling back to closing everything at the end of the file, `closeAtEnd` re-reads the
 * brackets line by line using indentation: a line indented no deeper than the line that opened a bracket
 * should come after that bracket's closer. If that explains the imbalance with exactly as many missing
 * closers as there are unclosed brackets, the closers go where indentation says, and the error points
 * there ("Missing closing brace for block "apt" opened at 2:3" at the line after the apt block); otherwise
 * they go at the end of the file.
 */
export function closeAtEnd(
  tokens: IToken[],
  unclosed: readonly Open[],
  runaway: boolean,
  text: string,
  at: Positions,
): { tokens: IToken[]; diagnostics: Diagnostic[] } {
  if (unclosed.length === 0) return { tokens, diagnostics: [] };
  const end = text.length;
  const plan = unclosed.every((o) => o.kind <= PAREN) ? indentationPlan(tokens, unclosed.length, text, at) : undefined;
  const insertions = plan ?? [...unclosed].reverse().map((open) => ({ before: tokens.length, openIndex: open.index, kind: open.kind }));
  const diagnostics: Diagnostic[] = [];
  const out: IToken[] = [];
  let k = 0;
  for (let i = 0; i <= tokens.length; i++) {
    if (k < insertions.length && insertions[k]!.before === i) {
      const offset = i < tokens.length ? tokens[i]!.startOffset : end;
      out.push(syntheticToken(T.Newline, offset));
      for (; k < insertions.length && insertions[k]!.before === i; k++) {
        const ins = insertions[k]!;
        const start = tokens[ins.openIndex]!.startOffset;
        const open: Open = { kind: ins.kind, index: ins.openIndex, start, bodyEnd: -1, closeEnd: -1, terminated: true };
        if (!runaway) diagnostics.push(missingCloser(open, offset, tokens, at));
        out.push(syntheticToken(closeType[ins.kind]!, offset));
      }
      out.push(syntheticToken(T.Newline, offset));
    }
    if (i < tokens.length) out.push(tokens[i]!);
  }
  return { tokens: out, diagnostics };
}

interface Insertion {
  /** Insert before this token index (tokens.length: at the end). */
  readonly before: number;
  readonly openIndex: number;
  readonly kind: number;
}

const openerKind = new Map<TokenType, number>([
  [T.LBrace, BRACE],
  [T.LBracket, BRACKET],
  [T.LParen, PAREN],
]);
const closerKind = new Map<TokenType, number>([
  [T.RBrace, BRACE],
  [T.RBracket, BRACKET],
  [T.RParen, PAREN],
]);

/** Where indentation says the missing closers belong, or undefined if it does not explain the imbalance. */
function indentationPlan(tokens: readonly IToken[], missing: number, text: string, at: Positions): Insertion[] | undefined {
  const stack: { index: number; kind: number; indent: number; line: number }[] = [];
  const plan: Insertion[] = [];
  let templateDepth = 0;
  let currentLine = -1;
  let indent = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const type = t.tokenType;
    if (type === T.CQuote || type === T.HeredocClose) {
      templateDepth--;
      continue;
    }
    if (templateDepth > 0 || type === T.Newline) {
      if (type === T.OQuote || type === T.HeredocOpen) templateDepth++;
      continue;
    }
    const line = at.lineIndex(t.startOffset);
    const closes = closerKind.get(type);
    if (line !== currentLine) {
      currentLine = line;
      indent = indentationOf(text, at.lineStart(line));
      for (let top = stack[stack.length - 1]; top !== undefined && top.line < line; top = stack[stack.length - 1]) {
        if (closes !== undefined ? top.indent > indent : top.indent >= indent) {
          plan.push({ before: i, openIndex: top.index, kind: top.kind });
          stack.pop();
        } else break;
      }
    }
    if (type === T.OQuote || type === T.HeredocOpen) {
      templateDepth++;
      continue;
    }
    const opens = openerKind.get(type);
    if (opens !== undefined) stack.push({ index: i, kind: opens, indent, line });
    else if (closes !== undefined) {
      const top = stack.pop();
      if (top === undefined || top.kind !== closes) return undefined;
    }
  }
  while (stack.length > 0) {
    const top = stack.pop()!;
    plan.push({ before: tokens.length, openIndex: top.index, kind: top.kind });
  }
  return plan.length === missing ? plan : undefined;
}

function indentationOf(text: string, lineStart: number): number {
  let i = lineStart;
  while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
  return i - lineStart;
}

/** Token types that open a group the parser may skip over as a whole during recovery, by type index. */
const groupOpeners = new Set<TokenType>([T.LBrace, T.LBracket, T.LParen, T.OQuote, T.HeredocOpen, T.TemplateInterp, T.TemplateControl]);
const groupClosers = new Set<TokenType>([T.RBrace, T.StripRBrace, T.RBracket, T.RParen, T.CQuote, T.HeredocClose]);
const OPENER = 1;
const CLOSER = 2;
const groupRole = new Uint8Array(Math.max(...T.allTokenTypes.map((t) => t.tokenTypeIdx!)) + 1);
for (const t of groupOpeners) groupRole[t.tokenTypeIdx!] = OPENER;
for (const t of groupClosers) groupRole[t.tokenTypeIdx!] = CLOSER;

export function isGroupOpener(type: TokenType): boolean {
  return groupRole[type.tokenTypeIdx!] === OPENER;
}
export function isGroupCloser(type: TokenType): boolean {
  return groupRole[type.tokenTypeIdx!] === CLOSER;
}

/**
 * The token list the parser reads: line breaks dropped where HCL ignores them (inside `()`, `[]`, `${}`,
 * `%{}` and `{for …}`), a final line break so that the last item ends like every other, and for every
 * bracket the index of its partner (`pairs`), which recovery uses to skip a bracketed group in one step.
 */
export function prepare(raw: readonly IToken[], end: number): { tokens: IToken[]; pairs: Int32Array } {
  const tokens: IToken[] = [];
  const pairs = new Int32Array(raw.length + 1).fill(-1);
  const stack: number[] = [];
  const dropNewlines: boolean[] = [];
  for (let i = 0; i < raw.length; i++) {
    const t = raw[i]!;
    const type = t.tokenType;
    if (type === T.Newline) {
      if (dropNewlines.length === 0 || !dropNewlines[dropNewlines.length - 1]) tokens.push(t);
      continue;
    }
    const index = tokens.length;
    tokens.push(t);
    const role = groupRole[t.tokenTypeIdx];
    if (role === OPENER) {
      stack.push(index);
      dropNewlines.push(type === T.LBrace ? startsForExpression(raw, i) : type !== T.OQuote && type !== T.HeredocOpen);
    } else if (role === CLOSER) {
      const open = stack.pop();
      dropNewlines.pop();
      if (open !== undefined) {
        pairs[open] = index;
        pairs[index] = open;
      }
    }
  }
  if (tokens.length === 0 || tokens[tokens.length - 1]!.tokenType !== T.Newline) tokens.push(syntheticToken(T.Newline, end));
  return { tokens, pairs: pairs.subarray(0, tokens.length) };
}

/**
 * Whether the `{` at `open` starts an object for-expression (`{for k, v in m : …}`), whose line breaks do
 * not count. A block body whose first item is named `for` (`x {\n for = 1 }`) is not one: a block's `{`
 * follows its type or a label, where no expression can end.
 */
function startsForExpression(raw: readonly IToken[], open: number): boolean {
  let j = open + 1;
  while (j < raw.length && raw[j]!.tokenType === T.Newline) j++;
  if (j >= raw.length || raw[j]!.tokenType !== T.ForKw) return false;
  const before = open > 0 ? raw[open - 1]!.tokenType : T.Newline;
  return !(before === T.CQuote || identTypes.has(before));
}

const identTypes = new Set<TokenType>([T.Identifier, ...T.keywords.values()]);
