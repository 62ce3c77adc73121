import type { Range } from "../source/pos.js";

/**
 * The abstract syntax of HCL native syntax, as slipway reads it. Produced by `parse` (syntax/), consumed by
 * evaluation and decoding (eval/, decode/) and by `format`. Nothing downstream sees chevrotain's CST.
 *
 * Every node carries `range` (half-open, see source/pos.ts). Nodes are plain readonly data, tagged by
 * `kind`, so that consumers use exhaustive `switch`es.
 */

/** A parsed file: its top-level body and every comment (kept for `fmt`). */
export interface FileNode {
  readonly kind: "file";
  readonly body: Body;
  readonly comments: readonly Comment[];
  readonly range: Range;
}

export interface Comment {
  readonly kind: "comment";
  /** `#` and `//` comments run to the end of the line; `/* … *\/` may span lines. */
  readonly style: "hash" | "slash" | "block";
  /** The comment exactly as written, markers included, without the trailing line break. */
  readonly text: string;
  readonly range: Range;
}

export interface Body {
  readonly kind: "body";
  /** Attributes and blocks in source order. */
  readonly items: readonly (Attribute | Block)[];
  readonly range: Range;
}

/** `name = expr` */
export interface Attribute {
  readonly kind: "attribute";
  readonly name: string;
  readonly nameRange: Range;
  readonly expr: Expr;
  readonly range: Range;
}

/** `type "label" ident { body }` — also the one-line form `type "label" {}` / `type { a = 1 }`. */
export interface Block {
  readonly kind: "block";
  readonly type: string;
  readonly typeRange: Range;
  readonly labels: readonly Label[];
  readonly body: Body;
  readonly openBraceRange: Range;
  readonly closeBraceRange: Range;
  /** From the type name to the opening brace: where "this block" diagnostics point. */
  readonly defRange: Range;
  readonly range: Range;
}

/**
 * A block label: a bare identifier, or a quoted string that may interpolate (`image "${registry}/app"`),
 * which slipway allows although HCL itself only allows literal labels.
 */
export type Label =
  | { readonly kind: "identLabel"; readonly name: string; readonly range: Range }
  | { readonly kind: "quotedLabel"; readonly template: TemplateExpr; readonly range: Range };

export type Expr =
  | LiteralExpr
  | TemplateExpr
  | VariableExpr
  | GetAttrExpr
  | IndexExpr
  | SplatExpr
  | CallExpr
  | ConditionalExpr
  | BinaryExpr
  | UnaryExpr
  | TupleExpr
  | ObjectExpr
  | ForExpr
  | ParensExpr
  | SplatItemExpr;

/** Numbers, `true`, `false`, `null`. (Strings are templates, even without interpolation.) */
export interface LiteralExpr {
  readonly kind: "literal";
  readonly value: number | boolean | null;
  /** The token as written (`1e3`, `0.50`), for `fmt`. */
  readonly raw: string;
  readonly range: Range;
}

/**
 * A quoted string or heredoc. A quoted string without interpolation is a template with one text part.
 * A template that is exactly one interpolation (`"${x}"`) evaluates to x's value unchanged, not to its
 * string form (HCL's "template unwrapping").
 */
export interface TemplateExpr {
  readonly kind: "template";
  readonly parts: readonly TemplatePart[];
  /** Set for heredocs: `<<EOT` (indent false) or `<<-EOT` (indent true, common leading spaces removed). */
  readonly heredoc?: { readonly marker: string; readonly indent: boolean };
  readonly range: Range;
}

export type TemplatePart = TemplateText | TemplateInterpolation | TemplateIf | TemplateFor;

/** Literal text with escapes already decoded (`\n`, `\"`, `\\`, `\uXXXX`, `$${` → `${`, `%%{` → `%{`). */
export interface TemplateText {
  readonly kind: "text";
  readonly value: string;
  readonly range: Range;
}

/** `${ expr }`, `${~ expr ~}` */
export interface TemplateInterpolation {
  readonly kind: "interpolation";
  readonly expr: Expr;
  readonly stripLeft: boolean;
  readonly stripRight: boolean;
  readonly range: Range;
}

/** `%{ if cond }…%{ else }…%{ endif }` */
export interface TemplateIf {
  readonly kind: "if";
  readonly condition: Expr;
  readonly then: readonly TemplatePart[];
  readonly else?: readonly TemplatePart[];
  readonly range: Range;
}

/** `%{ for k, v in coll }…%{ endfor }` */
export interface TemplateFor {
  readonly kind: "for";
  readonly keyVar?: string;
  readonly valueVar: string;
  readonly collection: Expr;
  readonly body: readonly TemplatePart[];
  readonly range: Range;
}

/** A bare name: a variable, a local (`local.x`), `var.x`… Names may contain dashes (`estaleiro-commit`). */
export interface VariableExpr {
  readonly kind: "variable";
  readonly name: string;
  readonly range: Range;
}

/** `object.name` */
export interface GetAttrExpr {
  readonly kind: "getAttr";
  readonly object: Expr;
  readonly name: string;
  readonly nameRange: Range;
  readonly range: Range;
}

/** `collection[key]` (also the legacy `collection.0` form, with `key` a number literal) */
export interface IndexExpr {
  readonly kind: "index";
  readonly collection: Expr;
  readonly key: Expr;
  readonly range: Range;
}

/**
 * `source.*.a.b` (attribute splat) or `source[*].a[0]` (full splat). `each` is evaluated once per element
 * with the element bound to the placeholder `SplatItem`.
 */
export interface SplatExpr {
  readonly kind: "splat";
  readonly style: "attr" | "full";
  readonly source: Expr;
  readonly each: Expr;
  readonly range: Range;
}

/** The placeholder for the current element inside `SplatExpr.each`. */
export interface SplatItemExpr {
  readonly kind: "splatItem";
  readonly range: Range;
}

/** `name(args…)`, with `expandFinal` for `name(a, list...)` */
export interface CallExpr {
  readonly kind: "call";
  readonly name: string;
  readonly nameRange: Range;
  readonly args: readonly Expr[];
  readonly expandFinal: boolean;
  readonly range: Range;
}

export interface ConditionalExpr {
  readonly kind: "conditional";
  readonly condition: Expr;
  readonly then: Expr;
  readonly else: Expr;
  readonly range: Range;
}

export type BinaryOperator = "||" | "&&" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "+" | "-" | "*" | "/" | "%";

export interface BinaryExpr {
  readonly kind: "binary";
  readonly op: BinaryOperator;
  readonly left: Expr;
  readonly right: Expr;
  readonly opRange: Range;
  readonly range: Range;
}

export interface UnaryExpr {
  readonly kind: "unary";
  readonly op: "-" | "!";
  readonly operand: Expr;
  readonly range: Range;
}

/** `[a, b, c]` */
export interface TupleExpr {
  readonly kind: "tuple";
  readonly items: readonly Expr[];
  readonly range: Range;
}

/** `{ k = v, "k": v, (expr) = v }` — items separated by newlines or commas. */
export interface ObjectExpr {
  readonly kind: "object";
  readonly items: readonly ObjectItem[];
  readonly range: Range;
}

export interface ObjectItem {
  /**
   * A bare identifier key (`k = v`) is the string "k" (`keyForm: "ident"`, `key` a one-part template);
   * any other key is an expression evaluated to a string (`keyForm: "expr"`).
   */
  readonly key: Expr;
  readonly keyForm: "ident" | "expr";
  /** `=` or `:` as written, for `fmt`. */
  readonly separator: "=" | ":";
  readonly value: Expr;
  readonly range: Range;
}

/**
 * `[for v in coll : expr if cond]`, `{for k, v in coll : kexpr => vexpr... if cond}`.
 * `keyExpr` is set exactly for the object form; `group` is the `...` grouping mode of the object form.
 */
export interface ForExpr {
  readonly kind: "for";
  readonly keyVar?: string;
  readonly valueVar: string;
  readonly collection: Expr;
  readonly keyExpr?: Expr;
  readonly valueExpr: Expr;
  readonly condition?: Expr;
  readonly group: boolean;
  readonly range: Range;
}

/** `( expr )`, kept so that `fmt` reproduces it and so that `(k) = v` object keys are expressions. */
export interface ParensExpr {
  readonly kind: "parens";
  readonly expr: Expr;
  readonly range: Range;
}
