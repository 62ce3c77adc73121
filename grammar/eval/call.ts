import type { CallExpr, Expr } from "../syntax/ast.js";
import { errorAt, hasErrors, reasonOf, type Diagnostic } from "../source/diagnostic.js";
import type { Range } from "../source/pos.js";
import { didYouMean } from "../source/suggest.js";
import { evaluateExpr } from "./evaluate.js";
import { isArgumentError, isFunctionError, type FunctionDef, type Param } from "./functions/index.js";
import type { Scope } from "./scope.js";
import { convert, describe } from "./types.js";
import { UNKNOWN, boolValue, containsUnknown, type Value } from "./value.js";

/**
 * A function call: look the function up, evaluate and expand the arguments, check their count and types,
 * then run the implementation. Every problem is located: an unknown function at its name, a bad argument
 * at that argument, a missing argument at the closing parenthesis's call.
 */
export function evaluateCall(e: CallExpr, scope: Scope, diagnostics: Diagnostic[]): Value {
  const fn = scope.env.functions.get(e.name);
  if (!fn) {
    diagnostics.push(
      scope.env.budget.once(e.nameRange, "unknown function", () =>
        errorAt(e.nameRange, "Call to unknown function", `There is no function named "${e.name}".`, {
          hint: didYouMean(e.name, scope.env.functions.keys()),
        }),
      ),
    );
    for (const arg of e.args) evaluateExpr(arg, scope, diagnostics);
    return UNKNOWN;
  }
  if (fn.special === "try") return evaluateTry(e, scope, diagnostics);
  if (fn.special === "can") return evaluateCan(e, scope, diagnostics);

  const args = evaluateArguments(e, scope, diagnostics);
  if (!args) return UNKNOWN;
  const { values, ranges } = args;
  if (!checkArity(fn, e, values.length, ranges, diagnostics)) return UNKNOWN;

  const converted: Value[] = [];
  let ok = true;
  for (let i = 0; i < values.length; i++) {
    const param = (i < fn.params.length ? fn.params[i] : fn.variadic)!;
    const v = convertArgument(fn, param, values[i]!, ranges[i]!, diagnostics);
    if (v === undefined) ok = false;
    else converted.push(v);
  }
  if (!ok) return UNKNOWN;
  if (converted.some(containsUnknown)) return UNKNOWN;
  if (!scope.env.budget.call(converted, e.range, diagnostics)) return UNKNOWN;
  try {
    return fn.impl(converted, { readFile: scope.env.readFile });
  } catch (err) {
    if (isArgumentError(err)) {
      const param = (err.argIndex < fn.params.length ? fn.params[err.argIndex] : fn.variadic)!;
      diagnostics.push(
        errorAt(ranges[err.argIndex] ?? e.range, "Invalid function argument", `Invalid value for "${param.name}" parameter of ${e.name}(): ${err.message}.`, {
          context: e.range,
        }),
      );
      return UNKNOWN;
    }
    if (isFunctionError(err)) {
      diagnostics.push(errorAt(e.range, "Error in function call", `Call to ${e.name}() failed: ${err.message}.`));
      return UNKNOWN;
    }
    // Each function checks its arguments and sizes, so this is a slip in one of them; it is still the
    // declaration's call that failed, so it is reported there rather than crashing the whole run.
    const message = err instanceof RangeError ? "the result would be too large" : err instanceof Error ? err.message : String(err);
    diagnostics.push(errorAt(e.range, "Error in function call", `Call to ${e.name}() failed unexpectedly: ${message}.`));
    return UNKNOWN;
  }
}

/** Argument values and the range each came from (an expanded `list...` gives its range to each element). */
function evaluateArguments(
  e: CallExpr,
  scope: Scope,
  diagnostics: Diagnostic[],
): { values: Value[]; ranges: Range[] } | undefined {
  const values: Value[] = [];
  const ranges: Range[] = [];
  let unknown = false;
  e.args.forEach((arg, i) => {
    const v = evaluateExpr(arg, scope, diagnostics);
    if (!(e.expandFinal && i === e.args.length - 1)) {
      values.push(v);
      ranges.push(arg.range);
      return;
    }
    if (v.kind === "unknown") {
      unknown = true;
    } else if (v.kind === "tuple") {
      for (const item of v.items) {
        values.push(item);
        ranges.push(arg.range);
      }
    } else {
      diagnostics.push(
        errorAt(arg.range, "Invalid expanding argument value", `The expanding argument (marked by ...) must be a list, but it is ${describe(v)}.`),
      );
      unknown = true;
    }
  });
  return unknown ? undefined : { values, ranges };
}

function checkArity(fn: FunctionDef, e: CallExpr, count: number, ranges: Range[], diagnostics: Diagnostic[]): boolean {
  const min = fn.params.length + (fn.variadic?.min ?? 0);
  const max = fn.variadic ? fn.params.length + (fn.variadic.max ?? Infinity) : fn.params.length;
  if (count < min) {
    const missing = count < fn.params.length ? fn.params[count]!.name : fn.variadic!.name;
    diagnostics.push(
      errorAt(e.range, "Not enough function arguments", `${e.name}() expects ${expected(min, max)}; the value for "${missing}" is missing.`, {
        hint: `${e.name}(${signature(fn)})`,
      }),
    );
    return false;
  }
  if (count > max) {
    diagnostics.push(
      errorAt(ranges[max] ?? e.range, "Too many function arguments", `${e.name}() expects ${expected(min, max)}, but ${count} were given.`, {
        hint: `${e.name}(${signature(fn)})`,
        context: e.range,
      }),
    );
    return false;
  }
  return true;
}

function expected(min: number, max: number): string {
  const n = (k: number) => `${k} argument${k === 1 ? "" : "s"}`;
  if (min === max) return n(min);
  if (max === Infinity) return `at least ${n(min)}`;
  return `${min} to ${n(max)}`;
}

/** `str, substr, replace` / `separator, lists...`, for hints. */
export function signature(fn: FunctionDef): string {
  const names = fn.params.map((p) => p.name);
  if (fn.variadic) names.push(`${fn.variadic.name}...`);
  return names.join(", ");
}

function convertArgument(fn: FunctionDef, param: Param, v: Value, range: Range, diagnostics: Diagnostic[]): Value | undefined {
  if (v.kind === "null" && !param.allowNull) {
    diagnostics.push(errorAt(range, "Invalid function argument", `Invalid value for "${param.name}" parameter of ${fn.name}(): the value must not be null.`));
    return undefined;
  }
  const c = convert(v, param.type);
  if (c.value === undefined) {
    diagnostics.push(errorAt(range, "Invalid function argument", `Invalid value for "${param.name}" parameter of ${fn.name}(): ${reasonOf(c)}.`));
    return undefined;
  }
  const hole = nullElement(c.value, param.type);
  if (hole !== undefined) {
    diagnostics.push(errorAt(range, "Invalid function argument", `Invalid value for "${param.name}" parameter of ${fn.name}(): ${hole} is null.`));
    return undefined;
  }
  return c.value;
}

/**
 * The first null element of a list or map whose declared element type is not `any` (`list(string)`), as
 * "element 2" or "element \"key\"": functions that take typed elements need a value in each.
 */
function nullElement(v: Value, type: Param["type"]): string | undefined {
  if (!("element" in type) || type.element.kind === "any") return undefined;
  if (v.kind === "tuple") {
    const i = v.items.findIndex((item) => item.kind === "null");
    return i < 0 ? undefined : `element ${i}`;
  }
  if (v.kind === "object") for (const [k, item] of v.entries) if (item.kind === "null") return `element ${JSON.stringify(k)}`;
  return undefined;
}

/** `try(a, b, …)`: the first argument that evaluates without errors; their diagnostics are dropped. */
function evaluateTry(e: CallExpr, scope: Scope, diagnostics: Diagnostic[]): Value {
  if (e.args.length === 0) {
    diagnostics.push(errorAt(e.range, "Not enough function arguments", "try() expects at least 1 argument."));
    return UNKNOWN;
  }
  for (const arg of e.args) {
    const own: Diagnostic[] = [];
    const v = evaluateExpr(arg, scope, own);
    if (scope.env.budget.exhausted) return exhausted(scope, diagnostics);
    if (hasErrors(own)) continue;
    diagnostics.push(...own);
    // An unknown value may still turn out to fail once it is known, so the choice cannot be made yet.
    return containsUnknown(v) ? UNKNOWN : v;
  }
  diagnostics.push(
    errorAt(e.range, "Error in function call", "Call to try() failed: no argument evaluated without an error.", {
      hint: "Add a last argument that always works, such as a default value.",
    }),
  );
  return UNKNOWN;
}

/** `can(expr)`: whether the expression evaluates without errors. */
function evaluateCan(e: CallExpr, scope: Scope, diagnostics: Diagnostic[]): Value {
  if (e.args.length !== 1) {
    const at: Expr | undefined = e.args[1];
    diagnostics.push(errorAt(at?.range ?? e.range, e.args.length === 0 ? "Not enough function arguments" : "Too many function arguments", "can() expects exactly 1 argument."));
    return UNKNOWN;
  }
  const own: Diagnostic[] = [];
  const v = evaluateExpr(e.args[0]!, scope, own);
  if (scope.env.budget.exhausted) return exhausted(scope, diagnostics);
  if (hasErrors(own)) return boolValue(false);
  return containsUnknown(v) ? UNKNOWN : boolValue(true);
}

/** An exhausted budget is not an argument's error that `try` or `can` may hide: its diagnostic stays. */
function exhausted(scope: Scope, diagnostics: Diagnostic[]): Value {
  diagnostics.push(scope.env.budget.exhausted!);
  return UNKNOWN;
}
