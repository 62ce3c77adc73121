import type { Expr, ForExpr, GetAttrExpr, IndexExpr, ObjectExpr, SplatExpr, VariableExpr } from "../syntax/ast.js";
import { errorAt, type Diagnostic, type Result } from "../source/diagnostic.js";
import { didYouMean } from "../source/suggest.js";
import { evaluateCall } from "./call.js";
import { evaluateBinary, evaluateConditional, evaluateUnary } from "./operators.js";
import type { Scope } from "./scope.js";
import { evaluateTemplate } from "./template.js";
import { BOOL, STRING, convert, describe } from "./types.js";
import {
  NULL,
  UNKNOWN,
  boolValue,
  formatNumber,
  kindName,
  numberValue,
  objectValue,
  stringValue,
  tupleValue,
  type Value,
} from "./value.js";

/**
 * Evaluates an expression: its value, and a diagnostic for every problem found, each at the narrowest
 * range (the variable name, the argument, the key). A part that fails evaluates to the unknown value, so
 * the rest is still evaluated and each problem is reported once.
 */
export function evaluate(expr: Expr, scope: Scope): Result<Value> {
  const diagnostics: Diagnostic[] = [];
  const value = evaluateExpr(expr, scope, diagnostics);
  return { value, diagnostics };
}

/**
 * `evaluate` appending to a caller's diagnostics (the decoders' form, which avoids a result per node).
 * Every expression is a step of the evaluation's budget, and every string or collection it builds is
 * measured against the size limits (budget.ts).
 */
export function evaluateExpr(expr: Expr, scope: Scope, diagnostics: Diagnostic[]): Value {
  const budget = scope.env.budget;
  if (!budget.step(expr.range, diagnostics)) return UNKNOWN;
  const pushed = diagnostics.length;
  const counted = budget.diagnosedSoFar;
  let value: Value;
  switch (expr.kind) {
    case "literal":
    case "variable":
    case "getAttr":
    case "index":
    case "splatItem":
    case "conditional":
    case "parens":
      value = evaluateNode(expr, scope, diagnostics);
      break;
    default:
      value = budget.account(evaluateNode(expr, scope, diagnostics), expr.range, diagnostics);
  }
  // the diagnostics this expression made itself: what it pushed, less what its children counted
  budget.diagnosed(diagnostics.length - pushed - (budget.diagnosedSoFar - counted), expr.range, diagnostics);
  return value;
}

function evaluateNode(expr: Expr, scope: Scope, diagnostics: Diagnostic[]): Value {
  switch (expr.kind) {
    case "literal":
      return expr.value === null ? NULL : typeof expr.value === "number" ? numberValue(expr.value) : boolValue(expr.value);
    case "template":
      return evaluateTemplate(expr, scope, diagnostics);
    case "variable":
      return evaluateVariable(expr, scope, diagnostics);
    case "getAttr":
      return evaluateGetAttr(expr, scope, diagnostics);
    case "index":
      return evaluateIndex(expr, scope, diagnostics);
    case "splat":
      return evaluateSplat(expr, scope, diagnostics);
    case "splatItem":
      if (scope.splatItem === undefined) throw new Error("splat item outside a splat expression");
      return scope.splatItem;
    case "call":
      return evaluateCall(expr, scope, diagnostics);
    case "conditional":
      return evaluateConditional(expr, scope, diagnostics);
    case "binary":
      return evaluateBinary(expr, scope, diagnostics);
    case "unary":
      return evaluateUnary(expr, scope, diagnostics);
    case "tuple":
      return tupleValue(expr.items.map((item) => evaluateExpr(item, scope, diagnostics)));
    case "object":
      return evaluateObject(expr, scope, diagnostics);
    case "for":
      return evaluateFor(expr, scope, diagnostics);
    case "parens":
      return evaluateExpr(expr.expr, scope, diagnostics);
  }
}

function evaluateVariable(e: VariableExpr, scope: Scope, diagnostics: Diagnostic[]): Value {
  const bound = scope.lookup(e.name);
  if (bound !== undefined) return bound;
  if (e.name === "local") {
    diagnostics.push(
      errorAt(e.range, "Invalid reference", `"local" is not a value by itself.`, { hint: "Refer to one local value as local.NAME." }),
    );
    return UNKNOWN;
  }
  const resolver = scope.env.resolver;
  const v = resolver?.variable(e.name, e.range, diagnostics);
  if (v !== undefined) return v;
  diagnostics.push(
    scope.env.budget.once(e.range, "unknown variable", () =>
      errorAt(e.range, "Unknown variable", `There is no variable named "${e.name}".`, {
        hint:
          didYouMean(e.name, [...scope.boundNames(), ...(resolver ? resolver.variableNames() : [])]) ??
          (e.name === "var" ? "Refer to a variable by its bare name: tag, not var.tag." : undefined),
      }),
    ),
  );
  return UNKNOWN;
}

function evaluateGetAttr(e: GetAttrExpr, scope: Scope, diagnostics: Diagnostic[]): Value {
  if (e.object.kind === "variable" && e.object.name === "local" && scope.lookup("local") === undefined) {
    const range = e.range;
    const resolver = scope.env.resolver;
    const v = resolver?.local(e.name, range, diagnostics);
    if (v !== undefined) return v;
    diagnostics.push(
      scope.env.budget.once(e.nameRange, "unknown local", () =>
        errorAt(e.nameRange, "Unknown local value", `There is no local value named "${e.name}".`, {
          hint: didYouMean(e.name, resolver ? resolver.localNames() : []) ?? "Declare it in a locals block.",
        }),
      ),
    );
    return UNKNOWN;
  }
  if (e.object.kind === "variable" && e.object.name === "var" && scope.lookup("var") === undefined) {
    // Terraform writes var.NAME; here (as in bake) a variable is its bare name.
    const known = [...(scope.env.resolver?.variableNames() ?? [])].includes("var");
    if (!known) {
      diagnostics.push(
        errorAt(e.range, "Invalid reference", `Variables are referred to by their bare name, not as var.${e.name}.`, { hint: `Write ${e.name}.` }),
      );
      return UNKNOWN;
    }
  }
  const object = evaluateExpr(e.object, scope, diagnostics);
  return getAttr(object, e, diagnostics);
}

function getAttr(object: Value, e: GetAttrExpr, diagnostics: Diagnostic[]): Value {
  switch (object.kind) {
    case "unknown":
      return UNKNOWN;
    case "object": {
      const v = object.entries.get(e.name);
      if (v !== undefined) return v;
      diagnostics.push(
        errorAt(e.nameRange, "Unsupported attribute", `This object does not have an attribute named "${e.name}".`, {
          hint: didYouMean(e.name, object.entries.keys()),
        }),
      );
      return UNKNOWN;
    }
    case "null":
      diagnostics.push(errorAt(e.nameRange, "Attempt to get attribute from null value", "This value is null, so it does not have any attributes."));
      return UNKNOWN;
    case "tuple":
      diagnostics.push(
        errorAt(e.nameRange, "Unsupported attribute", `A list does not have attributes; "${e.name}" would have to be read from its elements.`, {
          hint: `Use [*].${e.name} for every element, or [INDEX].${e.name} for one.`,
        }),
      );
      return UNKNOWN;
    default:
      diagnostics.push(errorAt(e.nameRange, "Unsupported attribute", `A ${object.kind} value does not have attributes such as "${e.name}".`));
      return UNKNOWN;
  }
}

function evaluateIndex(e: IndexExpr, scope: Scope, diagnostics: Diagnostic[]): Value {
  const collection = evaluateExpr(e.collection, scope, diagnostics);
  const key = evaluateExpr(e.key, scope, diagnostics);
  if (collection.kind === "unknown" || key.kind === "unknown") return UNKNOWN;
  if (key.kind === "null") {
    diagnostics.push(errorAt(e.key.range, "Invalid index", "The index is null."));
    return UNKNOWN;
  }
  switch (collection.kind) {
    case "tuple": {
      const c = convert(key, { kind: "number" });
      if (c.value?.kind !== "number" || !Number.isInteger(c.value.value)) {
        diagnostics.push(errorAt(e.key.range, "Invalid index", `A list index must be a whole number, but the index is ${describe(key)}.`));
        return UNKNOWN;
      }
      const i = c.value.value;
      if (i < 0 || i >= collection.items.length) {
        diagnostics.push(
          errorAt(
            e.key.range,
            "Invalid index",
            `The index ${formatNumber(i)} is out of range for a list of ${collection.items.length} element${collection.items.length === 1 ? "" : "s"}.`,
          ),
        );
        return UNKNOWN;
      }
      return collection.items[i]!;
    }
    case "object": {
      const c = convert(key, STRING);
      if (c.value?.kind !== "string") {
        diagnostics.push(errorAt(e.key.range, "Invalid index", `A map key must be a string, but the key is ${describe(key)}.`));
        return UNKNOWN;
      }
      const v = collection.entries.get(c.value.value);
      if (v !== undefined) return v;
      diagnostics.push(
        errorAt(e.key.range, "Invalid index", `The map has no key "${c.value.value}".`, {
          hint: didYouMean(c.value.value, collection.entries.keys()),
        }),
      );
      return UNKNOWN;
    }
    case "null":
      diagnostics.push(errorAt(e.collection.range, "Attempt to index null value", "This value is null, so it does not have any elements."));
      return UNKNOWN;
    default:
      diagnostics.push(errorAt(e.key.range, "Invalid index", `A ${collection.kind} value does not have elements to index.`));
      return UNKNOWN;
  }
}

function evaluateSplat(e: SplatExpr, scope: Scope, diagnostics: Diagnostic[]): Value {
  const source = evaluateExpr(e.source, scope, diagnostics);
  if (source.kind === "unknown") return UNKNOWN;
  // HCL: a null source splats to an empty list, any other non-list to a list of itself.
  const items = source.kind === "null" ? [] : source.kind === "tuple" ? source.items : [source];
  return tupleValue(items.map((item) => evaluateExpr(e.each, scope.withSplatItem(item), diagnostics)));
}

function evaluateObject(e: ObjectExpr, scope: Scope, diagnostics: Diagnostic[]): Value {
  const entries = new Map<string, Value>();
  const keyRanges = new Map<string, Expr["range"]>();
  let unknown = false;
  for (const item of e.items) {
    const value = evaluateExpr(item.value, scope, diagnostics);
    const key = objectKey(item.key, item.keyForm, scope, diagnostics);
    if (key === undefined) {
      unknown = true;
      continue;
    }
    const first = keyRanges.get(key);
    if (first) {
      diagnostics.push(
        errorAt(item.key.range, "Duplicate object key", `The key "${key}" was already set at line ${first.start.line}, column ${first.start.column}.`, {
          hint: "Each key may be set only once; remove one of them.",
        }),
      );
      unknown = true;
      continue;
    }
    keyRanges.set(key, item.key.range);
    entries.set(key, value);
  }
  return unknown ? UNKNOWN : objectValue(entries);
}

/** An object item's key as a string, or undefined when it is unknown (already reported). */
function objectKey(key: Expr, form: "ident" | "expr", scope: Scope, diagnostics: Diagnostic[]): string | undefined {
  if (form === "ident" && key.kind === "template" && key.parts.length === 1 && key.parts[0]!.kind === "text") {
    return key.parts[0]!.value;
  }
  const v = evaluateExpr(key, scope, diagnostics);
  if (v.kind === "unknown") return undefined;
  const c = convert(v, STRING);
  if (c.value?.kind !== "string") {
    diagnostics.push(errorAt(key.range, "Invalid object key", `An object key must be a string, but this key is ${describe(v)}.`));
    return undefined;
  }
  return c.value.value;
}

/**
 * The items a `for` expression or directive iterates: a list's index and element, or a map's key and value
 * in key order (as HCL iterates maps). Undefined after a diagnostic, or when the collection is unknown.
 */
export function iterationItems(
  collection: Value,
  range: Expr["range"],
  diagnostics: Diagnostic[],
): (readonly [Value, Value])[] | undefined {
  switch (collection.kind) {
    case "unknown":
      return undefined;
    case "tuple":
      return collection.items.map((v, i) => [numberValue(i), v] as const);
    case "object":
      return [...collection.entries.keys()]
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
        .map((k) => [stringValue(k), collection.entries.get(k)!] as const);
    case "null":
      diagnostics.push(errorAt(range, "Iteration over null value", "A null value cannot be used as the collection of a 'for'."));
      return undefined;
    default:
      diagnostics.push(
        errorAt(range, "Iteration over non-iterable value", `A ${kindName(collection)} value cannot be used as the collection of a 'for'; it needs a list or a map.`),
      );
      return undefined;
  }
}

/** The scope for one iteration of a `for`: `k, v` bind key and value, a lone `v` binds the value. */
export function iterationScope(scope: Scope, keyVar: string | undefined, valueVar: string, key: Value, value: Value): Scope {
  const bindings = new Map<string, Value>();
  if (keyVar !== undefined) bindings.set(keyVar, key);
  bindings.set(valueVar, value);
  return scope.child(bindings);
}

/** A `for` condition or `if` directive condition as a bool; undefined when unknown or reported. */
export function conditionValue(v: Value, range: Expr["range"], what: string, diagnostics: Diagnostic[]): boolean | undefined {
  if (v.kind === "unknown") return undefined;
  const c = convert(v, BOOL);
  if (c.value?.kind !== "bool") {
    diagnostics.push(errorAt(range, "Invalid condition", `The ${what} must be a bool, but it is ${describe(v)}.`));
    return undefined;
  }
  return c.value.value;
}

function evaluateFor(e: ForExpr, scope: Scope, diagnostics: Diagnostic[]): Value {
  const collection = evaluateExpr(e.collection, scope, diagnostics);
  const items = iterationItems(collection, e.collection.range, diagnostics);
  if (!items) return UNKNOWN;
  let unknown = false;
  const list: Value[] = [];
  const entries = new Map<string, Value>();
  const groups = new Map<string, Value[]>();
  for (const [key, value] of items) {
    if (scope.env.budget.exhausted) return UNKNOWN;
    const inner = iterationScope(scope, e.keyVar, e.valueVar, key, value);
    if (e.condition) {
      const keep = conditionValue(evaluateExpr(e.condition, inner, diagnostics), e.condition.range, "'for' condition", diagnostics);
      if (keep === undefined) unknown = true;
      if (keep !== true) continue;
    }
    const v = evaluateExpr(e.valueExpr, inner, diagnostics);
    if (!e.keyExpr) {
      list.push(v);
      continue;
    }
    const k = evaluateExpr(e.keyExpr, inner, diagnostics);
    if (k.kind === "unknown") {
      unknown = true;
      continue;
    }
    const c = convert(k, STRING);
    if (c.value?.kind !== "string") {
      diagnostics.push(errorAt(e.keyExpr.range, "Invalid object key", `An object key must be a string, but this key is ${describe(k)}.`));
      unknown = true;
      continue;
    }
    const name = c.value.value;
    if (e.group) {
      const group = groups.get(name);
      if (group) group.push(v);
      else groups.set(name, [v]);
    } else if (entries.has(name)) {
      diagnostics.push(
        errorAt(e.keyExpr.range, "Duplicate object key", `Two items produced the key "${name}" in this 'for' expression.`, {
          hint: "If duplicates are expected, add ... after the value expression to group the values by key.",
        }),
      );
      unknown = true;
    } else {
      entries.set(name, v);
    }
  }
  if (unknown) return UNKNOWN;
  if (!e.keyExpr) return tupleValue(list);
  if (e.group) return objectValue([...groups].map(([k, vs]) => [k, tupleValue(vs)] as const));
  return objectValue(entries);
}
