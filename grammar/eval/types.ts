import type { Expr } from "../syntax/ast.js";
import { errorAt, failure, reasonOf, type Diagnostic, type Result } from "../source/diagnostic.js";
import { LIMITS } from "../source/limits.js";
import { didYouMean } from "../source/suggest.js";
import {
  boolValue,
  formatNumber,
  fromJson,
  jsonNesting,
  kindName,
  numberValue,
  objectValue,
  parseNumber,
  stringValue,
  tupleValue,
  type Value,
} from "./value.js";

/**
 * Type constraints, as `variable` blocks declare them (`type = list(string)`) and as function parameters
 * and decoders require them. Values are converted to a type with cty's rules: numbers and bools become
 * strings, numeric strings become numbers, "true"/"false" become bools, and collections convert element by
 * element.
 */
export type Type =
  | { readonly kind: "string" | "number" | "bool" | "any" }
  | { readonly kind: "list" | "map"; readonly element: Type };

export const STRING: Type = Object.freeze({ kind: "string" });
export const NUMBER: Type = Object.freeze({ kind: "number" });
export const BOOL: Type = Object.freeze({ kind: "bool" });
export const ANY: Type = Object.freeze({ kind: "any" });
export function listOf(element: Type): Type {
  return { kind: "list", element };
}
export function mapOf(element: Type): Type {
  return { kind: "map", element };
}

/** The type as the language writes it: `string`, `list(map(string))`. */
export function typeString(t: Type): string {
  return "element" in t ? `${t.kind}(${typeString(t.element)})` : t.kind;
}

/** A converted value, or undefined with an error whose reason (see `failure`) callers quote. */
export type Conversion = Result<Value | undefined>;

/**
 * Converts `v` to type `t`. Null and unknown convert to anything (callers decide whether null is allowed);
 * a failure says what was required and what was given, and for collections which element failed.
 */
export function convert(v: Value, t: Type): Conversion {
  if (v.kind === "unknown" || v.kind === "null" || t.kind === "any") return { value: v, diagnostics: [] };
  switch (t.kind) {
    case "string":
      if (v.kind === "string") return { value: v, diagnostics: [] };
      if (v.kind === "number") return { value: stringValue(formatNumber(v.value)), diagnostics: [] };
      if (v.kind === "bool") return { value: stringValue(v.value ? "true" : "false"), diagnostics: [] };
      return fail("a string", v);
    case "number":
      if (v.kind === "number") return { value: v, diagnostics: [] };
      if (v.kind === "string") {
        const n = parseNumber(v.value);
        if (n !== undefined) return { value: numberValue(n), diagnostics: [] };
      }
      return fail("a number", v);
    case "bool":
      if (v.kind === "bool") return { value: v, diagnostics: [] };
      if (v.kind === "string" && (v.value === "true" || v.value === "false")) return { value: boolValue(v.value === "true"), diagnostics: [] };
      return fail("a bool", v);
    case "list": {
      if (v.kind !== "tuple") return fail(`a ${typeString(t)}`, v);
      const element = (t as { element: Type }).element;
      if (element.kind === "any") return { value: v, diagnostics: [] };
      const items: Value[] = [];
      for (let i = 0; i < v.items.length; i++) {
        const c = convert(v.items[i]!, element);
        if (c.value === undefined) return incorrect(`element ${i}: ${reasonOf(c)}`);
        items.push(c.value);
      }
      return { value: tupleValue(items), diagnostics: [] };
    }
    case "map": {
      if (v.kind !== "object") return fail(`a ${typeString(t)}`, v);
      const element = (t as { element: Type }).element;
      if (element.kind === "any") return { value: v, diagnostics: [] };
      const entries = new Map<string, Value>();
      for (const [k, item] of v.entries) {
        const c = convert(item, element);
        if (c.value === undefined) return incorrect(`element "${k}": ${reasonOf(c)}`);
        entries.set(k, c.value);
      }
      return { value: objectValue(entries), diagnostics: [] };
    }
  }
}

function fail(required: string, given: Value): Conversion {
  return incorrect(`${required} is required, but the value is ${describe(given)}`);
}

function incorrect(reason: string): Conversion {
  return failure("Incorrect value type", reason);
}

/** A short description of a value for messages: `the string "abc"`, `a list`, `null`. */
export function describe(v: Value): string {
  switch (v.kind) {
    case "string":
      return `the string ${JSON.stringify(v.value.length > 40 ? `${v.value.slice(0, 40)}…` : v.value)}`;
    case "number":
      return `the number ${formatNumber(v.value)}`;
    case "bool":
      return `the bool ${v.value}`;
    case "null":
      return "null";
    default:
      return `a ${kindName(v)}`;
  }
}

const PRIMITIVE_NAMES = ["string", "number", "bool", "any"] as const;
const COLLECTION_NAMES = ["list", "map"] as const;

/** Reads a type constraint expression (`string`, `list(number)`, `map(list(string))`). */
export function parseTypeExpr(expr: Expr, diagnostics: Diagnostic[]): Type | undefined {
  const e = expr.kind === "parens" ? expr.expr : expr;
  if (e.kind === "variable") {
    if ((PRIMITIVE_NAMES as readonly string[]).includes(e.name)) return { kind: e.name as (typeof PRIMITIVE_NAMES)[number] };
    if ((COLLECTION_NAMES as readonly string[]).includes(e.name)) {
      diagnostics.push(
        errorAt(e.range, "Invalid type", `The type "${e.name}" needs an element type.`, { hint: `Write ${e.name}(string), for example.` }),
      );
      return undefined;
    }
    diagnostics.push(unknownType(e.name, e.range));
    return undefined;
  }
  if (e.kind === "call") {
    if (!(COLLECTION_NAMES as readonly string[]).includes(e.name)) {
      diagnostics.push(unknownType(e.name, e.nameRange));
      return undefined;
    }
    if (e.args.length !== 1 || e.expandFinal) {
      diagnostics.push(errorAt(e.range, "Invalid type", `The type "${e.name}" takes exactly one element type, as in ${e.name}(string).`));
      return undefined;
    }
    const element = parseTypeExpr(e.args[0]!, diagnostics);
    return element && { kind: e.name as "list" | "map", element };
  }
  if (e.kind === "template" && e.parts.length === 1 && e.parts[0]!.kind === "text") {
    const name = e.parts[0]!.value;
    diagnostics.push(
      errorAt(e.range, "Invalid type", `A type is written as a keyword, not a string.`, { hint: `Write type = ${name} without quotes.` }),
    );
    return undefined;
  }
  diagnostics.push(
    errorAt(e.range, "Invalid type", "A type must be string, number, bool, any, list(TYPE) or map(TYPE)."),
  );
  return undefined;
}

function unknownType(name: string, range: Expr["range"]): Diagnostic {
  return errorAt(range, "Invalid type", `There is no type named "${name}". Types are string, number, bool, any, list(TYPE) and map(TYPE).`, {
    hint: didYouMean(name, [...PRIMITIVE_NAMES, ...COLLECTION_NAMES]),
  });
}

const GO_TRUE = new Set(["1", "t", "T", "TRUE", "true", "True"]);
const GO_FALSE = new Set(["0", "f", "F", "FALSE", "false", "False"]);

/**
 * Converts a build argument (always a string) to a variable's declared type. Bools accept what Go's
 * `strconv.ParseBool` accepts (bake's rule); lists accept JSON (`["a","b"]`) or comma-separated values
 * (`a,b`); maps accept a JSON object or `key=value` pairs separated by commas.
 */
export function parseArgument(text: string, t: Type): Conversion {
  if (text.length > LIMITS.stringLength) {
    return incorrect(`it is ${text.length} characters long, and slipway's limit for a string is ${LIMITS.stringLength}`);
  }
  switch (t.kind) {
    case "string":
    case "any":
      return { value: stringValue(text), diagnostics: [] };
    case "number": {
      const n = parseNumber(text.trim());
      return n === undefined ? incorrect(`${JSON.stringify(text)} is not a number`) : { value: numberValue(n), diagnostics: [] };
    }
    case "bool":
      if (GO_TRUE.has(text.trim())) return { value: boolValue(true), diagnostics: [] };
      if (GO_FALSE.has(text.trim())) return { value: boolValue(false), diagnostics: [] };
      return incorrect(`${JSON.stringify(text)} is not a bool (use true or false)`);
    case "list":
    case "map": {
      const trimmed = text.trim();
      if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
        let data: unknown;
        if (jsonNesting(trimmed) > LIMITS.valueDepth) {
          return incorrect(`its JSON nests arrays and objects more than ${LIMITS.valueDepth} deep, which is slipway's limit`);
        }
        try {
          data = JSON.parse(trimmed);
        } catch (e) {
          return incorrect(`it looks like JSON but does not parse: ${(e as Error).message}`);
        }
        return convert(fromJson(data), t);
      }
      const element = (t as { element: Type }).element;
      if (element.kind === "list" || element.kind === "map") {
        return incorrect(`a value of type ${typeString(t)} must be given as JSON`);
      }
      const parts = trimmed === "" ? [] : text.split(",");
      if (t.kind === "list") {
        const items: Value[] = [];
        for (const [i, part] of parts.entries()) {
          const c = parseArgument(part, element);
          if (c.value === undefined) return incorrect(`element ${i}: ${reasonOf(c)}`);
          items.push(c.value);
        }
        return { value: tupleValue(items), diagnostics: [] };
      }
      const entries = new Map<string, Value>();
      for (const part of parts) {
        const eq = part.indexOf("=");
        if (eq <= 0) return incorrect(`${JSON.stringify(part)} is not a key=value pair`);
        const c = parseArgument(part.slice(eq + 1), element);
        if (c.value === undefined) return incorrect(`element "${part.slice(0, eq)}": ${reasonOf(c)}`);
        entries.set(part.slice(0, eq), c.value);
      }
      return { value: objectValue(entries), diagnostics: [] };
    }
  }
}
