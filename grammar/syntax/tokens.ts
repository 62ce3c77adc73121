import { createToken, Lexer, type TokenType } from "chevrotain";

/**
 * The token types of HCL native syntax, shared by the scanner (which creates token instances) and the
 * parser (which matches on them). Patterns are not used: `scan.ts` recognises tokens itself (see the
 * comment there for why), so every type here is `Lexer.NA` and only its identity and categories matter.
 *
 * Categories let one CONSUME match several types: every keyword is also an `Ident` (HCL has no reserved
 * words: `for = 1` is an attribute), `BinaryOperator` groups the operators that precedence climbing in
 * `to-ast.ts` orders, `UnaryOperator` the prefix operators, and `Stray` marks what cannot start a body
 * item, so the parser can skip a bad line.
 */

function token(name: string, categories: TokenType[] = []): TokenType {
  return createToken({ name, pattern: Lexer.NA, categories });
}

// Categories (never produced by the scanner themselves).
export const Ident = token("Ident");
export const BinaryOperator = token("BinaryOperator");
export const UnaryOperator = token("UnaryOperator");
export const Stray = token("Stray");

// Structure.
export const Newline = token("Newline");
export const Identifier = token("Identifier", [Ident]);
export const NumberLit = token("NumberLit", [Stray]);

// Keywords: identifiers with a meaning in some places only.
export const TrueKw = token("TrueKw", [Ident]);
export const FalseKw = token("FalseKw", [Ident]);
export const NullKw = token("NullKw", [Ident]);
export const ForKw = token("ForKw", [Ident]);
export const InKw = token("InKw", [Ident]);
export const IfKw = token("IfKw", [Ident]);
export const ElseKw = token("ElseKw", [Ident]);
export const EndIfKw = token("EndIfKw", [Ident]);
export const EndForKw = token("EndForKw", [Ident]);

// Brackets.
export const LBrace = token("LBrace", [Stray]);
export const RBrace = token("RBrace");
export const LBracket = token("LBracket", [Stray]);
export const RBracket = token("RBracket", [Stray]);
export const LParen = token("LParen", [Stray]);
export const RParen = token("RParen", [Stray]);

// Punctuation.
export const Assign = token("Assign", [Stray]);
export const Colon = token("Colon", [Stray]);
export const Comma = token("Comma", [Stray]);
export const Dot = token("Dot", [Stray]);
export const Ellipsis = token("Ellipsis", [Stray]);
export const FatArrow = token("FatArrow", [Stray]);
export const Question = token("Question", [Stray]);
export const Bang = token("Bang", [UnaryOperator, Stray]);

// Binary operators (Minus and Star have other roles too: negation, splat).
export const OrOr = token("OrOr", [BinaryOperator, Stray]);
export const AndAnd = token("AndAnd", [BinaryOperator, Stray]);
export const EqEq = token("EqEq", [BinaryOperator, Stray]);
export const NotEq = token("NotEq", [BinaryOperator, Stray]);
export const LtEq = token("LtEq", [BinaryOperator, Stray]);
export const GtEq = token("GtEq", [BinaryOperator, Stray]);
export const Lt = token("Lt", [BinaryOperator, Stray]);
export const Gt = token("Gt", [BinaryOperator, Stray]);
export const Plus = token("Plus", [BinaryOperator, Stray]);
export const Minus = token("Minus", [BinaryOperator, UnaryOperator, Stray]);
export const Star = token("Star", [BinaryOperator, Stray]);
export const Slash = token("Slash", [BinaryOperator, Stray]);
export const Percent = token("Percent", [BinaryOperator, Stray]);

// Templates: quoted strings and heredocs.
export const OQuote = token("OQuote", [Stray]);
export const CQuote = token("CQuote", [Stray]);
/** Literal text of a quoted string, escapes still encoded (`to-ast.ts` decodes them). */
export const QuotedText = token("QuotedText", [Stray]);
/** `<<EOT` or `<<-EOT` and its line break. */
export const HeredocOpen = token("HeredocOpen", [Stray]);
/** Literal text of a heredoc: at most one line, with its line break. */
export const HeredocText = token("HeredocText", [Stray]);
/** The closing marker line, without its line break. */
export const HeredocClose = token("HeredocClose", [Stray]);
/** `${` or `${~` */
export const TemplateInterp = token("TemplateInterp", [Stray]);
/** `%{` or `%{~` */
export const TemplateControl = token("TemplateControl", [Stray]);
/** `~}`: closes an interpolation or directive and strips the whitespace after it. */
export const StripRBrace = token("StripRBrace", [Stray]);

/** Every type the scanner produces, in one list (the parser needs them all up front). */
export const allTokenTypes: readonly TokenType[] = [
  Ident,
  BinaryOperator,
  UnaryOperator,
  Stray,
  Newline,
  Identifier,
  NumberLit,
  TrueKw,
  FalseKw,
  NullKw,
  ForKw,
  InKw,
  IfKw,
  ElseKw,
  EndIfKw,
  EndForKw,
  LBrace,
  RBrace,
  LBracket,
  RBracket,
  LParen,
  RParen,
  Assign,
  Colon,
  Comma,
  Dot,
  Ellipsis,
  FatArrow,
  Question,
  Bang,
  OrOr,
  AndAnd,
  EqEq,
  NotEq,
  LtEq,
  GtEq,
  Lt,
  Gt,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  OQuote,
  CQuote,
  QuotedText,
  HeredocOpen,
  HeredocText,
  HeredocClose,
  TemplateInterp,
  TemplateControl,
  StripRBrace,
];

/** Keywords by spelling; anything else that scans as a name is an `Identifier`. */
export const keywords: ReadonlyMap<string, TokenType> = new Map([
  ["true", TrueKw],
  ["false", FalseKw],
  ["null", NullKw],
  ["for", ForKw],
  ["in", InKw],
  ["if", IfKw],
  ["else", ElseKw],
  ["endif", EndIfKw],
  ["endfor", EndForKw],
]);
