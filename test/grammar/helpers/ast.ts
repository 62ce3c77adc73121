// Builds small ASTs by hand, for unit tests of evaluation and decoding that must not depend on the parser.
// Every node gets its own synthetic range (line 1, a fresh column), so a test can check that a diagnostic
// points at exactly the node it built.
import type {
  Attribute,
  BinaryOperator,
  Block,
  Body,
  Expr,
  FileNode,
  ForExpr,
  Label,
  ObjectItem,
  TemplateExpr,
  TemplatePart,
} from "../../../grammar/syntax/ast.js";
import type { Range } from "../../../grammar/source/pos.js";

let next = 0;

/** A fresh range, distinct from every other built so far. */
export function range(file = "test.hcl"): Range {
  const offset = next;
  next += 2;
  return { file, start: { line: 1, column: offset + 1, offset }, end: { line: 1, column: offset + 2, offset: offset + 1 } };
}

export const num = (value: number): Expr => ({ kind: "literal", value, raw: String(value), range: range() });
export const bool = (value: boolean): Expr => ({ kind: "literal", value, raw: String(value), range: range() });
export const nul = (): Expr => ({ kind: "literal", value: null, raw: "null", range: range() });
export const text = (value: string): TemplatePart => ({ kind: "text", value, range: range() });
export const interp = (expr: Expr, strip: { left?: boolean; right?: boolean } = {}): TemplatePart => ({
  kind: "interpolation",
  expr,
  stripLeft: strip.left ?? false,
  stripRight: strip.right ?? false,
  range: range(),
});
export const tmpl = (...parts: (TemplatePart | string)[]): TemplateExpr => ({
  kind: "template",
  parts: parts.map((p) => (typeof p === "string" ? text(p) : p)),
  range: range(),
});
export const str = (value: string): TemplateExpr => tmpl(value);
export const v = (name: string): Expr => ({ kind: "variable", name, range: range() });
export const local = (name: string): Expr => ({ kind: "getAttr", object: v("local"), name, nameRange: range(), range: range() });
export const getAttr = (object: Expr, name: string): Expr => ({ kind: "getAttr", object, name, nameRange: range(), range: range() });
export const index = (collection: Expr, key: Expr): Expr => ({ kind: "index", collection, key, range: range() });
export const call = (name: string, ...args: Expr[]): Expr => ({ kind: "call", name, nameRange: range(), args, expandFinal: false, range: range() });
export const callExpand = (name: string, ...args: Expr[]): Expr => ({ kind: "call", name, nameRange: range(), args, expandFinal: true, range: range() });
export const bin = (op: BinaryOperator, left: Expr, right: Expr): Expr => ({ kind: "binary", op, left, right, opRange: range(), range: range() });
export const not = (operand: Expr): Expr => ({ kind: "unary", op: "!", operand, range: range() });
export const neg = (operand: Expr): Expr => ({ kind: "unary", op: "-", operand, range: range() });
export const cond = (condition: Expr, then: Expr, otherwise: Expr): Expr => ({ kind: "conditional", condition, then, else: otherwise, range: range() });
export const tuple = (...items: Expr[]): Expr => ({ kind: "tuple", items, range: range() });
export const obj = (...items: [string | Expr, Expr][]): Expr => ({
  kind: "object",
  items: items.map(([k, value]): ObjectItem => ({
    key: typeof k === "string" ? str(k) : k,
    keyForm: typeof k === "string" ? "ident" : "expr",
    separator: "=",
    value,
    range: range(),
  })),
  range: range(),
});
export const splat = (source: Expr, each: (item: Expr) => Expr, style: "attr" | "full" = "full"): Expr => ({
  kind: "splat",
  style,
  source,
  each: each({ kind: "splatItem", range: range() }),
  range: range(),
});
export const forList = (valueVar: string, collection: Expr, valueExpr: Expr, opts: { keyVar?: string; condition?: Expr } = {}): ForExpr => ({
  kind: "for",
  ...(opts.keyVar !== undefined ? { keyVar: opts.keyVar } : {}),
  valueVar,
  collection,
  valueExpr,
  ...(opts.condition ? { condition: opts.condition } : {}),
  group: false,
  range: range(),
});
export const forObject = (
  keyVar: string | undefined,
  valueVar: string,
  collection: Expr,
  keyExpr: Expr,
  valueExpr: Expr,
  opts: { condition?: Expr; group?: boolean } = {},
): ForExpr => ({
  kind: "for",
  ...(keyVar !== undefined ? { keyVar } : {}),
  valueVar,
  collection,
  keyExpr,
  valueExpr,
  ...(opts.condition ? { condition: opts.condition } : {}),
  group: opts.group ?? false,
  range: range(),
});
export const parens = (expr: Expr): Expr => ({ kind: "parens", expr, range: range() });

export const attr = (name: string, expr: Expr): Attribute => ({ kind: "attribute", name, nameRange: range(), expr, range: range() });
export const label = (name: string): Label => ({ kind: "quotedLabel", template: str(name), range: range() });
export const block = (type: string, labels: (string | Label)[], ...items: (Attribute | Block)[]): Block => ({
  kind: "block",
  type,
  typeRange: range(),
  labels: labels.map((l) => (typeof l === "string" ? label(l) : l)),
  body: body(...items),
  openBraceRange: range(),
  closeBraceRange: range(),
  defRange: range(),
  range: range(),
});
export const body = (...items: (Attribute | Block)[]): Body => ({ kind: "body", items, range: range() });

export const fileNode = (...items: (Attribute | Block)[]): FileNode => ({ kind: "file", body: body(...items), comments: [], range: range() });
