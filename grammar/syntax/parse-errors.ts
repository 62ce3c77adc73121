import type { IToken, TokenType } from "chevrotain";
import { EOF } from "chevrotain";
import { errorAt, type Diagnostic } from "../source/diagnostic.js";
import type { ParseIssue } from "./parser.js";
import type { Positions } from "./positions.js";
import * as T from "./tokens.js";
import { isSynthetic, tokenEnd } from "./token.js";

/**
 * Syntax errors caught by the parser's guards → diagnostics. The parser reports what it expected and what
 * it found; this module knows the context (the attribute or block being read) and says it the way a person
 * would: `Expected "=" after attribute name "entrypoint"`, not "Expecting token of type --> Assign <--".
 */

const names = new Map<TokenType, string>([
  [T.Assign, '"="'],
  [T.Colon, '":"'],
  [T.Comma, '","'],
  [T.Dot, '"."'],
  [T.Ellipsis, '"..."'],
  [T.FatArrow, '"=>"'],
  [T.Question, '"?"'],
  [T.LBrace, '"{"'],
  [T.RBrace, '"}"'],
  [T.StripRBrace, '"~}"'],
  [T.LBracket, '"["'],
  [T.RBracket, '"]"'],
  [T.LParen, '"("'],
  [T.RParen, '")"'],
  [T.CQuote, "the closing quote"],
  [T.HeredocClose, "the end of the heredoc"],
  [T.Newline, "a line break"],
  [T.Ident, "a name"],
  [T.InKw, '"in"'],
  [T.IfKw, '"if"'],
]);

/** How to name a token the parser found. */
export function describeFound(t: IToken): string {
  const type = t.tokenType;
  if (type === EOF || t.startOffset !== t.startOffset) return "the end of the file";
  if (type === T.Newline) return isSynthetic(t) ? "the end of the file" : "the end of the line";
  if (type === T.OQuote) return "a string";
  if (type === T.HeredocOpen) return "a heredoc";
  if (type === T.QuotedText || type === T.HeredocText) return `text "${short(t.image)}"`;
  if (type === T.CQuote) return "the closing quote";
  if (isSynthetic(t)) return "the end of the enclosing brackets";
  return `"${short(t.image)}"`;
}

function short(s: string): string {
  const line = s.replace(/\r?\n[\s\S]*$/, "");
  return line.length > 30 ? `${line.slice(0, 27)}...` : line;
}

// long because: one case per kind of parse issue, each with its own summary and hint; the cases share the token positions the closures at the top compute.
export function describeIssue(issue: ParseIssue, tokens: readonly IToken[], at: Positions): Diagnostic {
  const first = tokens[issue.start];
  const subjectOf = (t: IToken): [number, number] => {
    if (t.tokenType === EOF || t.startOffset !== t.startOffset) return [at.length, at.length];
    if (t.tokenType === T.Newline || isSynthetic(t)) return [t.startOffset, t.startOffset];
    return [t.startOffset, tokenEnd(t)];
  };
  const make = (t: IToken, summary: string, detail: string): Diagnostic => {
    const [s, e] = subjectOf(t);
    const extra = first !== undefined && first.startOffset <= s ? { context: at.range(first.startOffset, e) } : {};
    return errorAt(at.range(s, e), summary, detail, extra);
  };

  if (issue.guard === "stray") {
    const t = issue.token!;
    if (t.tokenType === T.RBrace) return make(t, 'Unexpected "}"', 'There is no open block for this "}" to close.');
    if (t.tokenType === T.OQuote) {
      return make(t, "Attribute names are not quoted", 'Write the name without quotes: name = value. (Quoted strings are values, or block labels after a block type.)');
    }
    return make(t, `Expected an attribute or a block, found ${describeFound(t)}`, 'Each line of a body is an attribute (name = value) or a block (type "label" { … }).');
  }

  const error = issue.error!;
  const found = error.token;
  const rule = error.context.ruleStack[error.context.ruleStack.length - 1];
  const expected = error.name === "MismatchedTokenException" ? error.message : undefined;
  const itemName = first?.image ?? "";
  const foundText = describeFound(found);

  switch (rule) {
    case "bodyItem": {
      if (error.name === "NoViableAltException") {
        if (found.tokenType === T.Newline || found.tokenType === EOF) {
          return make(found, `Expected "=" or "{" after "${itemName}"`, `An attribute needs "=" and a value (${itemName} = …); a block needs a body in braces (${itemName} { … }).`);
        }
        const detail = found.tokenType === T.Colon ? 'Attributes are set with "=", not ":".' : `Found ${foundText} where "=" should be; write ${itemName} = value.`;
        return make(found, `Expected "=" after attribute name "${itemName}"`, detail);
      }
      if (expected === "LBrace") {
        if (found.tokenType === T.Assign) {
          return make(found, `Unexpected "=" after the labels of block "${itemName}"`, `A block is written ${itemName} "label" { … }, without "=". To set an attribute, write ${itemName} = value with no labels.`);
        }
        if (found.tokenType === T.Newline) {
          return make(found, `Expected "{" to open block "${itemName}"`, "The opening brace of a block must be on the same line as its type and labels.");
        }
        return make(found, `Expected "{" to open block "${itemName}"`, `Found ${foundText} after the block's labels; labels are names or quoted strings, followed by "{".`);
      }
      if (expected === "RBrace") {
        if (found.tokenType === T.Newline) {
          return make(found, "Invalid single-line block", `A block whose first attribute is on the "{" line must also close on that line ({ name = value }). Start the attributes on a new line to write more than one.`);
        }
        return make(found, "Invalid single-line block", `A single-line block holds at most one attribute and must end with "}"; found ${foundText}. Put each attribute on its own line instead.`);
      }
      break;
    }
    case "singleAttribute":
      if (expected === "Assign") {
        return make(found, "Invalid single-line block", `A single-line block can only hold one attribute (name = value). To nest a block, put it on its own line between "{" and "}".`);
      }
      break;
    case "body":
      if (expected === "Newline") {
        const prev = (error as { previousToken?: IToken }).previousToken;
        const after = prev?.tokenType === T.RBrace ? `block "${itemName}"` : `attribute "${itemName}"`;
        if (found.tokenType === T.Comma) {
          return make(found, `Unexpected "," after ${after}`, "Attributes in a block are separated by line breaks, not commas.");
        }
        if (found.tokenType === T.RBrace) {
          return make(found, `Missing line break after ${after}`, 'Put the closing "}" on its own line, or write a single-line block (name { attr = value }).');
        }
        return make(found, `Missing line break after ${after}`, `Found ${foundText} on the same line; each attribute and block must be on its own line.`);
      }
      break;
    case "operand":
      if (error.name === "NoViableAltException") {
        const prev = (error as { previousToken?: IToken }).previousToken;
        if (issue.guard === "line" && prev?.tokenType === T.Assign && (found.tokenType === T.Newline || found.tokenType === EOF)) {
          return make(found, `Missing value for attribute "${itemName}"`, `Write a value after "=": a string, number, list, object, name or function call.`);
        }
        const quote = found.tokenType === T.Slash || found.tokenType === T.Dot ? ' To write a path or other text, put it in quotes: "/srv".' : "";
        return make(found, `Expected an expression, found ${foundText}`, `A value is needed here: a string, number, list [ … ], object { … }, name, or function call.${quote}`);
      }
      break;
    case "postfix":
      if (error.name === "NoViableAltException") {
        const prev = (error as { previousToken?: IToken }).previousToken;
        if (prev?.tokenType === T.Dot) {
          return make(found, "Expected an attribute name after \".\"", `Found ${foundText}; write object.name, list[0] or list[*].name.`);
        }
      }
      break;
    case "objectCons":
    case "objectItem":
      if (rule === "objectCons" && error.name === "NoViableAltException") {
        return make(found, "Missing separator between object items", `Found ${foundText} after an item; separate the items of an object with "," or line breaks.`);
      }
      if (rule === "objectItem" && error.name === "NoViableAltException") {
        return make(found, 'Expected "=" or ":" after the object key', `Found ${foundText}; write key = value.`);
      }
      break;
    case "tupleCons":
      if (error.name === "NoViableAltException") {
        return make(found, 'Expected "," or "]" after a list item', `Found ${foundText}; separate the items of a list with commas.`);
      }
      break;
    case "functionCall":
      if (error.name === "NoViableAltException") {
        return make(found, 'Expected "," or ")" after a function argument', `Found ${foundText} in the arguments of "${callName(tokens, issue.start)}"; separate arguments with commas.`);
      }
      break;
    case "quotedTemplate":
    case "heredocTemplate":
      if (error.name === "NoViableAltException" && found.tokenType !== T.RBrace) {
        const prev = (error as { previousToken?: IToken }).previousToken;
        if (prev?.tokenType === T.TemplateControl) {
          return make(found, `Invalid template directive ${foundText}`, 'A "%{" directive starts with if, else, endif, for or endfor.');
        }
        return make(found, 'Expected "}" to end the interpolation', `Found ${foundText} after the expression. If this text is meant literally, escape the interpolation as "$\${".`);
      }
      break;
    case "forBody":
      if (expected === "InKw") return make(found, 'Expected "in" in for-expression', 'Write [for v in collection : v] or [for k, v in collection : v].');
      if (expected === "Colon") return make(found, 'Expected ":" after the for-expression collection', 'Write [for v in collection : v].');
      break;
    case "expression":
      if (expected === "Colon") return make(found, 'Expected ":" in conditional expression', 'A conditional is written condition ? value_if_true : value_if_false.');
      break;
  }
  if (expected !== undefined) {
    const want = names.get((T.allTokenTypes as TokenType[]).find((t) => t.name === expected) ?? T.Newline) ?? expected;
    return make(found, `Expected ${want}, found ${foundText}`, `The parser expected ${want} here.`);
  }
  return make(found, `Unexpected ${foundText}`, "This does not fit here.");
}

function callName(tokens: readonly IToken[], start: number): string {
  for (let i = Math.min(start, tokens.length - 1); i >= 0; i--) {
    if (tokens[i]!.tokenType === T.LParen && i > 0) return tokens[i - 1]!.image;
  }
  return "the function";
}
