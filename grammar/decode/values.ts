import type { Attribute, Expr, Label } from "../syntax/ast.js";
import type { KeyValue, Located } from "../model/declaration.js";
import { errorAt, reasonOf, type Diagnostic } from "../source/diagnostic.js";
import type { Range } from "../source/pos.js";
import { evaluateExpr } from "../eval/evaluate.js";
import type { Scope } from "../eval/scope.js";
import { BOOL, NUMBER, STRING, convert, describe, listOf, mapOf, type Type } from "../eval/types.js";
import { containsUnknown, type Value } from "../eval/value.js";
import { requiredArgument } from "./schema.js";

/** What every decoder works with: the scope expressions evaluate in, and where diagnostics go. */
export interface DecodeContext {
  readonly scope: Scope;
  readonly diagnostics: Diagnostic[];
  readonly omissions: Omissions;
}

/**
 * What decoding had to leave out of the model (after reporting why, or because a value is not known yet),
 * so that the checks do not report consequences: a reference to a step that was left out is not an
 * "undeclared step".
 */
export class Omissions {
  /** Names of steps and tarballs left out; `undefined` stands for one whose name itself is unknown. */
  readonly steps = new Set<string | undefined>();
  readonly tarballs = new Set<string | undefined>();
  /** Steps and tarballs (`step NAME`, `tarball NAME`) that lost a source_file. */
  readonly sourceFiles = new Set<string>();
  /** Some file entry was left out. */
  files = false;
}

/**
 * An attribute's value converted to `type`; undefined when the attribute is absent, null (an optional
 * argument set to null counts as unset), unknown (already reported, or a deferred file), or of the wrong
 * type (reported here, at the value, with the attribute as context).
 */
export function typedValue(ctx: DecodeContext, attr: Attribute | undefined, type: Type): Value | undefined {
  if (!attr) return undefined;
  const v = evaluateExpr(attr.expr, ctx.scope, ctx.diagnostics);
  const required = v.kind === "null" ? requiredArgument(attr) : undefined;
  if (required) {
    // a required argument set to null is as missing as one not written, and the block would be dropped
    ctx.diagnostics.push(
      errorAt(attr.expr.range, "Missing required argument", `The argument "${attr.name}" is required in ${required.owner}, but it is null.`, {
        context: attr.range,
        hint: `Give it a value, e.g. ${required.example}.`,
      }),
    );
    return undefined;
  }
  return converted(ctx, attr.expr, v, type, `"${attr.name}"`, attr.range);
}

function converted(ctx: DecodeContext, expr: Expr, v: Value, type: Type, what: string, context: Range): Value | undefined {
  if (v.kind === "unknown" || v.kind === "null") return undefined;
  const c = convert(v, type);
  if (c.value === undefined || c.value.kind === "unknown") {
    if (c.value === undefined) {
      const hint = type.kind === "list" && v.kind === "string" ? { hint: `Write a list: [${JSON.stringify(v.value)}].` } : {};
      ctx.diagnostics.push(errorAt(expr.range, "Incorrect value type", `Inappropriate value for ${what}: ${reasonOf(c)}.`, { context, ...hint }));
    }
    return undefined;
  }
  // A computed collection (`concat(["/x"], [null])`, `merge(a, b)`) converts with its nulls and unknowns
  // inside: a null element is as wrong as a null literal, and an unknown one was already reported.
  if (containsUnknown(c.value)) return undefined;
  const nullAt = nullPath(c.value);
  if (nullAt !== undefined) {
    ctx.diagnostics.push(
      errorAt(expr.range, "Incorrect value type", `Inappropriate value for ${what}: ${nullAt} is null.`, {
        context,
        hint: "Every element must have a value; filter nulls out, e.g. [for x in LIST : x if x != null].",
      }),
    );
    return undefined;
  }
  return c.value;
}

/** Where the first null inside a collection is (`element 1`, `element "B"`, `element 0 of element 2`). */
function nullPath(v: Value): string | undefined {
  const inner = (key: string, item: Value): string | undefined => {
    if (item.kind === "null") return key;
    const deeper = nullPath(item);
    return deeper === undefined ? undefined : `${deeper} of ${key}`;
  };
  if (v.kind === "tuple") {
    for (let i = 0; i < v.items.length; i++) {
      const found = inner(`element ${i}`, v.items[i]!);
      if (found !== undefined) return found;
    }
  } else if (v.kind === "object") {
    for (const [k, item] of v.entries) {
      const found = inner(`element ${JSON.stringify(k)}`, item);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

export function stringAttr(ctx: DecodeContext, attr: Attribute | undefined): Located<string> | undefined {
  const v = typedValue(ctx, attr, STRING);
  return v?.kind === "string" ? { value: v.value, range: attr!.expr.range } : undefined;
}

export function boolAttr(ctx: DecodeContext, attr: Attribute | undefined): Located<boolean> | undefined {
  const v = typedValue(ctx, attr, BOOL);
  return v?.kind === "bool" ? { value: v.value, range: attr!.expr.range } : undefined;
}

export function numberAttr(ctx: DecodeContext, attr: Attribute | undefined): Located<number> | undefined {
  const v = typedValue(ctx, attr, NUMBER);
  return v?.kind === "number" ? { value: v.value, range: attr!.expr.range } : undefined;
}

/** A `list(string)` attribute as one located list. */
export function stringListAttr(ctx: DecodeContext, attr: Attribute | undefined): Located<readonly string[]> | undefined {
  const items = locatedItems(ctx, attr, STRING);
  return items && { value: items.map((i) => (i.value as { value: string }).value), range: attr!.expr.range };
}

/**
 * The elements of a list attribute, each with its own range when the list is written literally (so that
 * a bad port or platform is reported at that element), else the whole expression's range.
 */
export function locatedItems(ctx: DecodeContext, attr: Attribute | undefined, element: Type): Located<Value>[] | undefined {
  if (!attr) return undefined;
  const expr = unwrap(attr.expr);
  if (expr.kind === "tuple") {
    const out: Located<Value>[] = [];
    expr.items.forEach((item, i) => {
      const v = evaluateExpr(item, ctx.scope, ctx.diagnostics);
      if (v.kind === "null") {
        ctx.diagnostics.push(errorAt(item.range, "Incorrect value type", `Element ${i} of "${attr.name}" is null.`, { context: attr.range }));
        return;
      }
      const c = converted(ctx, item, v, element, `element ${i} of "${attr.name}"`, attr.range);
      if (c !== undefined) out.push({ value: c, range: item.range });
    });
    // Elements that failed were reported (or are not known yet); the rest are still checked.
    return out;
  }
  const v = typedValue(ctx, attr, listOf(element));
  if (v?.kind !== "tuple") return undefined;
  return v.items.map((item) => ({ value: item, range: attr.expr.range }));
}

/**
 * A `map(string)` attribute as key/value pairs in declared order, each with its item's range when the map
 * is written literally.
 */
export function stringMapAttr(ctx: DecodeContext, attr: Attribute | undefined): KeyValue[] | undefined {
  if (!attr) return undefined;
  const expr = unwrap(attr.expr);
  if (expr.kind !== "object") {
    const v = typedValue(ctx, attr, mapOf(STRING));
    if (v?.kind !== "object") return undefined;
    return [...v.entries].map(([key, value]) => ({ key, value: (value as { value: string }).value, range: attr.expr.range }));
  }
  // Evaluate the literal item by item, so that each pair keeps its own range.
  const out: KeyValue[] = [];
  const seen = new Map<string, Range>();
  for (const item of expr.items) {
    const key = keyOf(ctx, item.key);
    const value = evaluateExpr(item.value, ctx.scope, ctx.diagnostics);
    if (key === undefined) continue;
    const first = seen.get(key);
    if (first) {
      ctx.diagnostics.push(
        errorAt(item.key.range, "Duplicate object key", `The key "${key}" of "${attr.name}" was already set at line ${first.start.line}.`, {
          hint: "Each key may be set only once; remove one of them.",
        }),
      );
      continue;
    }
    seen.set(key, item.key.range);
    if (value.kind === "null") {
      ctx.diagnostics.push(errorAt(item.value.range, "Incorrect value type", `The value of "${key}" in "${attr.name}" is null; it must be a string.`));
      continue;
    }
    const c = converted(ctx, item.value, value, STRING, `"${key}" in "${attr.name}"`, item.range);
    if (c?.kind === "string") out.push({ key, value: c.value, range: item.range });
  }
  // Items that failed were reported (or are not known yet); the rest are still checked.
  return out;
}

function keyOf(ctx: DecodeContext, key: Expr): string | undefined {
  const v = evaluateExpr(key, ctx.scope, ctx.diagnostics);
  if (v.kind === "unknown") return undefined;
  const c = convert(v, STRING);
  if (c.value?.kind !== "string") {
    ctx.diagnostics.push(errorAt(key.range, "Invalid object key", `A key must be a string, but this one is ${describe(v)}.`));
    return undefined;
  }
  return c.value.value;
}

/** A block label's value: an identifier, or a quoted string that may interpolate (`"${registry}/app"`). */
export function labelValue(ctx: DecodeContext, label: Label): Located<string> | undefined {
  if (label.kind === "identLabel") return { value: label.name, range: label.range };
  const v = evaluateExpr(label.template, ctx.scope, ctx.diagnostics);
  if (v.kind === "unknown") return undefined;
  const c = convert(v, STRING);
  if (c.value?.kind !== "string") {
    ctx.diagnostics.push(errorAt(label.range, "Invalid label", `A block label must be a string, but this one is ${describe(v)}.`));
    return undefined;
  }
  return { value: c.value.value, range: label.range };
}

function unwrap(e: Expr): Expr {
  return e.kind === "parens" ? unwrap(e.expr) : e;
}
