import type { BinaryExpr, ConditionalExpr, Expr, UnaryExpr } from "../syntax/ast.js";
import { errorAt, type Diagnostic } from "../source/diagnostic.js";
import { evaluateExpr } from "./evaluate.js";
import type { Scope } from "./scope.js";
import { BOOL, NUMBER, convert, describe } from "./types.js";
import { UNKNOWN, boolValue, numberValue, valuesEqual, type Value } from "./value.js";

/**
 * Operators with HCL's type rules: arithmetic and ordering convert both operands to numbers (so `"2" + 1`
 * is 3), logic converts to bools, `==`/`!=` compare without conversion (so `"1" == 1` is false). Unlike
 * HCL, `&&`, `||` and `? :` evaluate only the operand they need, so `x != null && x.a` and
 * `x == null ? "" : x.a` work.
 */
export function evaluateBinary(e: BinaryExpr, scope: Scope, diagnostics: Diagnostic[]): Value {
  switch (e.op) {
    case "&&":
    case "||": {
      const left = operand(evaluateExpr(e.left, scope, diagnostics), e.left, "bool", e, diagnostics);
      if (left === undefined) {
        evaluateExpr(e.right, scope, diagnostics);
        return UNKNOWN;
      }
      if (e.op === "&&" ? left === false : left === true) return boolValue(left as boolean);
      const right = operand(evaluateExpr(e.right, scope, diagnostics), e.right, "bool", e, diagnostics);
      return right === undefined ? UNKNOWN : boolValue(right as boolean);
    }
    case "==":
    case "!=": {
      const left = evaluateExpr(e.left, scope, diagnostics);
      const right = evaluateExpr(e.right, scope, diagnostics);
      if (left.kind === "unknown" || right.kind === "unknown") return UNKNOWN;
      return boolValue(valuesEqual(left, right) === (e.op === "=="));
    }
    default: {
      const left = operand(evaluateExpr(e.left, scope, diagnostics), e.left, "number", e, diagnostics);
      const right = operand(evaluateExpr(e.right, scope, diagnostics), e.right, "number", e, diagnostics);
      if (left === undefined || right === undefined) return UNKNOWN;
      return arithmetic(e, left as number, right as number, diagnostics);
    }
  }
}

/**
 * An arithmetic result, or an error at the operator when it is not a number slipway can keep exactly:
 * infinite (`1e308 * 10`), or whole-number arithmetic whose exact result a double cannot hold
 * (`9007199254740991 + 2`), where HCL's arbitrary-precision numbers would keep every digit.
 */
function exactResult(e: BinaryExpr, a: number, b: number, result: number, diagnostics: Diagnostic[]): Value {
  if (!Number.isFinite(result)) {
    diagnostics.push(errorAt(e.opRange, "Number out of range", `The result of this ${e.op} is beyond the largest number slipway represents (about 1.8e308).`, { context: e.range }));
    return UNKNOWN;
  }
  if (Number.isInteger(a) && Number.isInteger(b) && !Number.isSafeInteger(result) && e.op !== "/" && !exactly(e.op, a, b, result)) {
    diagnostics.push(
      errorAt(e.opRange, "Number out of range", `The result of this ${e.op} is a whole number past 2^53 (9007199254740991) that slipway cannot hold exactly.`, { context: e.range }),
    );
    return UNKNOWN;
  }
  return numberValue(result);
}

/** Whether `result` is exactly `a op b` for whole numbers `a` and `b`. */
function exactly(op: string, a: number, b: number, result: number): boolean {
  const x = BigInt(a);
  const y = BigInt(b);
  const exact = op === "+" ? x + y : op === "-" ? x - y : op === "*" ? x * y : x % y;
  return exact === BigInt(result);
}

function arithmetic(e: BinaryExpr, a: number, b: number, diagnostics: Diagnostic[]): Value {
  switch (e.op) {
    case "+":
      return exactResult(e, a, b, a + b, diagnostics);
    case "-":
      return exactResult(e, a, b, a - b, diagnostics);
    case "*":
      return exactResult(e, a, b, a * b, diagnostics);
    case "/":
    case "%":
      if (b === 0) {
        diagnostics.push(errorAt(e.right.range, e.op === "/" ? "Division by zero" : "Modulo by zero", "The right operand is zero."));
        return UNKNOWN;
      }
      return exactResult(e, a, b, e.op === "/" ? a / b : a % b, diagnostics);
    case "<":
      return boolValue(a < b);
    case "<=":
      return boolValue(a <= b);
    case ">":
      return boolValue(a > b);
    case ">=":
      return boolValue(a >= b);
    default:
      throw new Error(`unexpected operator ${e.op}`);
  }
}

/** An operand converted to the operator's type; undefined when unknown or after a diagnostic. */
function operand(
  v: Value,
  expr: Expr,
  type: "number" | "bool",
  op: BinaryExpr | UnaryExpr,
  diagnostics: Diagnostic[],
): number | boolean | undefined {
  if (v.kind === "unknown") return undefined;
  const c = convert(v, type === "number" ? NUMBER : BOOL);
  if (c.value?.kind === "number" || c.value?.kind === "bool") return c.value.value;
  const which = op.kind === "unary" ? "operand" : expr === op.left ? "left operand" : "right operand";
  diagnostics.push(
    errorAt(expr.range, "Invalid operand", `The ${which} of ${op.op} must be a ${type}, but it is ${describe(v)}.`, {
      context: op.range,
    }),
  );
  return undefined;
}

export function evaluateUnary(e: UnaryExpr, scope: Scope, diagnostics: Diagnostic[]): Value {
  const v = operand(evaluateExpr(e.operand, scope, diagnostics), e.operand, e.op === "-" ? "number" : "bool", e, diagnostics);
  if (v === undefined) return UNKNOWN;
  return e.op === "-" ? numberValue(-(v as number)) : boolValue(!(v as boolean));
}

export function evaluateConditional(e: ConditionalExpr, scope: Scope, diagnostics: Diagnostic[]): Value {
  const condition = evaluateExpr(e.condition, scope, diagnostics);
  if (condition.kind === "unknown") {
    // Still evaluate both branches so that their own mistakes are reported now.
    evaluateExpr(e.then, scope, diagnostics);
    evaluateExpr(e.else, scope, diagnostics);
    return UNKNOWN;
  }
  const c = convert(condition, BOOL);
  if (c.value?.kind !== "bool") {
    diagnostics.push(
      errorAt(e.condition.range, "Invalid condition", `The condition of a conditional expression must be a bool, but it is ${describe(condition)}.`),
    );
    return UNKNOWN;
  }
  return evaluateExpr(c.value.value ? e.then : e.else, scope, diagnostics);
}
