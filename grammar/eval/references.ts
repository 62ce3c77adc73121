import type { Expr, TemplatePart } from "../syntax/ast.js";
import type { Range } from "../source/pos.js";

/** A name an expression refers to: a bare variable name, or `local.NAME`. */
export interface Reference {
  readonly kind: "variable" | "local";
  readonly name: string;
  /** The reference as written: the bare name, or `local.NAME` whole. */
  readonly range: Range;
}

/**
 * The names an expression refers to, in source order, before evaluating it (HCL's `Variables()`): what
 * the resolver orders variables and locals by, and where it reports a cycle. Names bound inside the
 * expression (a `for`'s key and value) are not references.
 */
export function references(expr: Expr): Reference[] {
  const out: Reference[] = [];
  walk(expr, new Set(), out);
  return out;
}

function walk(e: Expr, bound: ReadonlySet<string>, out: Reference[]): void {
  switch (e.kind) {
    case "literal":
    case "splatItem":
      return;
    case "template":
      walkParts(e.parts, bound, out);
      return;
    case "variable":
      if (!bound.has(e.name) && e.name !== "local") out.push({ kind: "variable", name: e.name, range: e.range });
      return;
    case "getAttr":
      if (e.object.kind === "variable" && e.object.name === "local" && !bound.has("local")) {
        out.push({ kind: "local", name: e.name, range: e.range });
        return;
      }
      walk(e.object, bound, out);
      return;
    case "index":
      walk(e.collection, bound, out);
      walk(e.key, bound, out);
      return;
    case "splat":
      walk(e.source, bound, out);
      walk(e.each, bound, out);
      return;
    case "call":
      for (const arg of e.args) walk(arg, bound, out);
      return;
    case "conditional":
      walk(e.condition, bound, out);
      walk(e.then, bound, out);
      walk(e.else, bound, out);
      return;
    case "binary":
      walk(e.left, bound, out);
      walk(e.right, bound, out);
      return;
    case "unary":
      walk(e.operand, bound, out);
      return;
    case "tuple":
      for (const item of e.items) walk(item, bound, out);
      return;
    case "object":
      for (const item of e.items) {
        if (item.keyForm === "expr") walk(item.key, bound, out);
        walk(item.value, bound, out);
      }
      return;
    case "for": {
      walk(e.collection, bound, out);
      const inner = withNames(bound, e.keyVar, e.valueVar);
      if (e.keyExpr) walk(e.keyExpr, inner, out);
      walk(e.valueExpr, inner, out);
      if (e.condition) walk(e.condition, inner, out);
      return;
    }
    case "parens":
      walk(e.expr, bound, out);
      return;
  }
}

function walkParts(parts: readonly TemplatePart[], bound: ReadonlySet<string>, out: Reference[]): void {
  for (const part of parts) {
    switch (part.kind) {
      case "text":
        break;
      case "interpolation":
        walk(part.expr, bound, out);
        break;
      case "if":
        walk(part.condition, bound, out);
        walkParts(part.then, bound, out);
        if (part.else) walkParts(part.else, bound, out);
        break;
      case "for":
        walk(part.collection, bound, out);
        walkParts(part.body, withNames(bound, part.keyVar, part.valueVar), out);
        break;
    }
  }
}

function withNames(bound: ReadonlySet<string>, keyVar: string | undefined, valueVar: string): Set<string> {
  const inner = new Set(bound);
  if (keyVar !== undefined) inner.add(keyVar);
  inner.add(valueVar);
  return inner;
}
