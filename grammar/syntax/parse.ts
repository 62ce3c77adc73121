import type { IToken } from "chevrotain";
import { sortDiagnostics, type Diagnostic } from "../source/diagnostic.js";
import type { SourceFile } from "../source/file.js";
import type { Comment, FileNode } from "./ast.js";
import { closeAtEnd, prepare } from "./balance.js";
import { checkDepth } from "./depth.js";
import { checkNesting } from "./nesting.js";
import { describeIssue } from "./parse-errors.js";
import { hclParser } from "./parser.js";
import { Positions } from "./positions.js";
import { scan } from "./scan.js";
import { Builder } from "./to-ast.js";
import type { CommentSpan } from "./token.js";

export interface ParseResult {
  /** The file's AST; with syntax errors, what could be read (a construct with an error is left out). */
  readonly file: FileNode;
  /** Every syntax error of the file, sorted by position. */
  readonly diagnostics: Diagnostic[];
}

/**
 * Parses HCL native syntax. Never throws on any input: every problem becomes a diagnostic with the file,
 * line and column, and the rest of the file is still read.
 *
 * @example
 * const { file, diagnostics } = parse(new SourceFile("slipway.hcl", text));
 */
export function parse(file: SourceFile): ParseResult {
  const { result } = parseWithTokens(file);
  return result;
}

/** What `format` needs besides the AST: the tokens with every line break, and the comments. */
export interface ParsedTokens {
  readonly tokens: readonly IToken[];
  readonly comments: readonly CommentSpan[];
  readonly positions: Positions;
}

export function parseWithTokens(file: SourceFile): { result: ParseResult; tokens: ParsedTokens } {
  const at = new Positions(file);
  const text = file.text;
  const scanned = scan(text, at);
  const closed = closeAtEnd(scanned.tokens, scanned.unclosed, scanned.runaway, text, at);
  const prepared = prepare(closed.tokens, text.length);
  const builder = new Builder(at);
  // Past the nesting limit nothing is parsed: the parser would recurse once per level.
  const tooDeep = checkNesting(prepared.tokens, at);
  const { items, issues } = tooDeep ? { items: [], issues: [] } : hclParser.parseTokens(prepared.tokens, prepared.pairs, builder);
  let body = builder.body(items, 0, text.length);
  // An AST past the depth limit is not handed on: every walker after this one recurses.
  const tooLong = tooDeep ? undefined : checkDepth(body, prepared.tokens.length);
  if (tooLong) body = builder.body([], 0, text.length);
  const comments: Comment[] = scanned.comments.map((c) => ({
    kind: "comment",
    style: c.style,
    text: text.slice(c.start, c.end),
    range: at.range(c.start, c.end),
  }));
  const node: FileNode = { kind: "file", body, comments, range: at.range(0, text.length) };

  // A lexical error usually derails the parser on its line: report the cause only, and one error per line.
  // (A missing closer found at the end is reported where it belongs, at the start of the next item's line,
  // so it does not hide that item's own errors.)
  const linesWithErrors = new Set(scanned.diagnostics.map((d) => d.subject?.start.line));
  const syntax: Diagnostic[] = [];
  for (const issue of issues) {
    const d = describeIssue(issue, prepared.tokens, at);
    const line = d.subject?.start.line;
    if (linesWithErrors.has(line)) continue;
    linesWithErrors.add(line);
    syntax.push(d);
  }
  const diagnostics = sortDiagnostics([...scanned.diagnostics, ...closed.diagnostics, ...syntax, ...builder.diagnostics, ...(tooDeep ? [tooDeep] : []), ...(tooLong ? [tooLong] : [])]);
  return { result: { file: node, diagnostics }, tokens: { tokens: closed.tokens, comments: scanned.comments, positions: at } };
}
