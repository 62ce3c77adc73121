import type { TemplateExpr, TemplatePart } from "../syntax/ast.js";
import { errorAt, type Diagnostic } from "../source/diagnostic.js";
import { conditionValue, evaluateExpr, iterationItems, iterationScope } from "./evaluate.js";
import type { Scope } from "./scope.js";
import { STRING, convert } from "./types.js";
import { UNKNOWN, kindName, stringValue, type Value } from "./value.js";

/**
 * A quoted string or heredoc. A template that is exactly one interpolation (`"${x}"`) is unwrapped: it
 * evaluates to x's own value, which may be a list or a number (HCL's template unwrapping). Otherwise every
 * interpolation must give a string, number or bool, and the result is a string, or unknown if any part is.
 */
export function evaluateTemplate(t: TemplateExpr, scope: Scope, diagnostics: Diagnostic[]): Value {
  const only = t.parts.length === 1 ? t.parts[0]! : undefined;
  if (only?.kind === "text") return stringValue(only.value);
  if (only?.kind === "interpolation" && !t.heredoc) return evaluateExpr(only.expr, scope, diagnostics);
  const text = renderParts(t.parts, scope, diagnostics);
  return text === undefined ? UNKNOWN : stringValue(text);
}

/** The text of a sequence of template parts, or undefined when some part is unknown. */
function renderParts(parts: readonly TemplatePart[], scope: Scope, diagnostics: Diagnostic[]): string | undefined {
  let out = "";
  let unknown = false;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    switch (part.kind) {
      case "text": {
        // `${~` strips the whitespace before it and `~}` the whitespace after it.
        const before = parts[i - 1];
        const after = parts[i + 1];
        let text = part.value;
        if (before?.kind === "interpolation" && before.stripRight) text = text.replace(/^\s+/, "");
        if (after?.kind === "interpolation" && after.stripLeft) text = text.replace(/\s+$/, "");
        out += text;
        break;
      }
      case "interpolation": {
        const s = interpolate(evaluateExpr(part.expr, scope, diagnostics), part.expr.range, diagnostics);
        if (s === undefined) unknown = true;
        else out += s;
        break;
      }
      case "if": {
        const cond = conditionValue(evaluateExpr(part.condition, scope, diagnostics), part.condition.range, "%{if} condition", diagnostics);
        if (cond === undefined) {
          unknown = true;
          break;
        }
        const branch = cond ? part.then : part.else ?? [];
        const s = renderParts(branch, scope, diagnostics);
        if (s === undefined) unknown = true;
        else out += s;
        break;
      }
      case "for": {
        const items = iterationItems(evaluateExpr(part.collection, scope, diagnostics), part.collection.range, diagnostics);
        if (!items) {
          unknown = true;
          break;
        }
        for (const [key, value] of items) {
          const s = renderParts(part.body, iterationScope(scope, part.keyVar, part.valueVar, key, value), diagnostics);
          if (s === undefined) unknown = true;
          else out += s;
          if (tooLong(out, part, scope, diagnostics) || scope.env.budget.exhausted) return undefined;
        }
        break;
      }
    }
    if (tooLong(out, part, scope, diagnostics)) return undefined;
  }
  return unknown ? undefined : out;
}

/** Whether the text being built has passed the string length limit (reported at the part that did it). */
function tooLong(out: string, part: TemplatePart, scope: Scope, diagnostics: Diagnostic[]): boolean {
  const limit = scope.env.budget.limits.stringLength;
  if (out.length <= limit) return false;
  diagnostics.push(errorAt(part.range, "String too long", `This template makes a string of more than ${limit} characters, which is slipway's limit.`));
  return true;
}

function interpolate(v: Value, range: TemplatePart["range"], diagnostics: Diagnostic[]): string | undefined {
  if (v.kind === "unknown") return undefined;
  if (v.kind === "null") {
    diagnostics.push(
      errorAt(range, "Invalid template interpolation value", "The expression is null, and a null value cannot be included in a string.", {
        hint: 'Use coalesce(x, "") or a conditional to give a default.',
      }),
    );
    return undefined;
  }
  const c = convert(v, STRING);
  if (c.value?.kind !== "string") {
    diagnostics.push(
      errorAt(range, "Invalid template interpolation value", `A ${kindName(v)} cannot be included in a string; only strings, numbers and bools can.`, {
        hint: v.kind === "tuple" ? 'Use join(",", list) to make one string of a list.' : "Use jsonencode(value) to include its JSON text.",
      }),
    );
    return undefined;
  }
  return c.value.value;
}
