import { errorAt, type Diagnostic } from "../source/diagnostic.js";
import { evaluateExpr } from "./evaluate.js";
import type { Scope } from "./scope.js";
import { BOOL, STRING, convert, describe } from "./types.js";
import type { Value } from "./value.js";
import type { VariableDecl } from "./variables.js";

/**
 * Runs a variable's `validation` blocks against its value: a condition that is false reports the block's
 * error_message at the value's origin (the variable's label for a build argument, else its default), with
 * the validation block as context. A condition or message of the wrong type is reported at itself.
 */
export function runValidations(decl: VariableDecl, value: Value, fromArg: boolean, scope: Scope, diagnostics: Diagnostic[]): void {
  for (const v of decl.validations) {
    const condition = evaluateExpr(v.condition, scope, diagnostics);
    if (condition.kind === "unknown") continue;
    const ok = convert(condition, BOOL);
    if (ok.value?.kind !== "bool") {
      diagnostics.push(errorAt(v.condition.range, "Invalid validation condition", `A validation condition must be a bool, but this one is ${describe(condition)}.`));
      continue;
    }
    if (ok.value.value) continue;
    const message = evaluateExpr(v.errorMessage, scope, diagnostics);
    const text = convert(message, STRING);
    if (text.value?.kind !== "string") {
      if (message.kind !== "unknown") {
        diagnostics.push(errorAt(v.errorMessage.range, "Invalid error message", `A validation's error_message must be a string, but this one is ${describe(message)}.`));
      }
      continue;
    }
    diagnostics.push(
      errorAt(
        fromArg || !decl.default ? decl.nameRange : decl.default.range,
        `Invalid value for variable "${decl.name}"`,
        `${text.value.value} (The value is ${describe(value)}, from ${fromArg ? `the build argument "${decl.name}"` : "the default"}.)`,
        { context: v.range, hint: "The variable's validation block (its condition) decides which values are accepted." },
      ),
    );
  }
}
