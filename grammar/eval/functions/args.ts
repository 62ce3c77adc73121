import { formatNumber, type Value } from "../value.js";
import { ArgumentError } from "./function.js";

// Accessors for arguments that the evaluator has already converted to the parameter's type. A mismatch here
// is a bug in a function table entry, so it throws a plain Error rather than making a diagnostic.

export function asString(v: Value): string {
  if (v.kind !== "string") throw new Error(`function argument is ${v.kind}, expected a string`);
  return v.value;
}

export function asNumber(v: Value): number {
  if (v.kind !== "number") throw new Error(`function argument is ${v.kind}, expected a number`);
  return v.value;
}

export function asBool(v: Value): boolean {
  if (v.kind !== "bool") throw new Error(`function argument is ${v.kind}, expected a bool`);
  return v.value;
}

export function asItems(v: Value): readonly Value[] {
  if (v.kind !== "tuple") throw new Error(`function argument is ${v.kind}, expected a list`);
  return v.items;
}

export function asEntries(v: Value): ReadonlyMap<string, Value> {
  if (v.kind !== "object") throw new Error(`function argument is ${v.kind}, expected a map`);
  return v.entries;
}

/** A whole number, or an ArgumentError for argument `index` saying so. */
export function asInteger(v: Value, index: number): number {
  const n = asNumber(v);
  if (!Number.isInteger(n)) throw new ArgumentError(index, `a whole number is required, but the value is ${formatNumber(n)}`);
  return n;
}

/** The characters of a string as the language counts them: Unicode code points. */
export function codePoints(s: string): string[] {
  return Array.from(s);
}
