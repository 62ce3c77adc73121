/**
 * The values expressions evaluate to: a small tagged union in the spirit of cty, without static types.
 *
 * Lists and tuples are one kind (`tuple`), maps and objects are one kind (`object`); type constraints
 * (types.ts) check element types when a value is converted. Objects keep insertion order, which is the
 * declared order for object literals; the functions and constructs that HCL defines to iterate in key
 * order (`keys`, `values`, `for`, `jsonencode`) sort explicitly.
 *
 * `unknown` is the poison value: it stands for "a value that could not be computed and whose problem was
 * already reported" (or one that is not available yet, like a deferred `file()`). Every operation given an
 * unknown operand returns unknown without a new diagnostic, HCL's unknown-of-the-right-type trick, so one
 * mistake is reported once.
 */
export type Value = StringValue | NumberValue | BoolValue | NullValue | TupleValue | ObjectValue | UnknownValue;

export interface StringValue {
  readonly kind: "string";
  readonly value: string;
}
export interface NumberValue {
  readonly kind: "number";
  readonly value: number;
}
export interface BoolValue {
  readonly kind: "bool";
  readonly value: boolean;
}
export interface NullValue {
  readonly kind: "null";
}
export interface TupleValue {
  readonly kind: "tuple";
  readonly items: readonly Value[];
}
export interface ObjectValue {
  readonly kind: "object";
  readonly entries: ReadonlyMap<string, Value>;
}
export interface UnknownValue {
  readonly kind: "unknown";
}

export const UNKNOWN: UnknownValue = Object.freeze({ kind: "unknown" });
export const NULL: NullValue = Object.freeze({ kind: "null" });
export const TRUE: BoolValue = Object.freeze({ kind: "bool", value: true });
export const FALSE: BoolValue = Object.freeze({ kind: "bool", value: false });
const EMPTY_STRING: StringValue = Object.freeze({ kind: "string", value: "" });

export function stringValue(value: string): StringValue {
  return value === "" ? EMPTY_STRING : { kind: "string", value };
}
export function numberValue(value: number): NumberValue {
  return { kind: "number", value };
}
export function boolValue(value: boolean): BoolValue {
  return value ? TRUE : FALSE;
}
export function tupleValue(items: readonly Value[]): TupleValue {
  return { kind: "tuple", items };
}
export function objectValue(entries: ReadonlyMap<string, Value> | Iterable<readonly [string, Value]>): ObjectValue {
  return { kind: "object", entries: entries instanceof Map ? entries : new Map(entries) };
}

/** The name of a value's kind as messages say it: "string", "number", "bool", "null", "list", "object". */
export function kindName(v: Value): string {
  switch (v.kind) {
    case "tuple":
      return "list";
    case "unknown":
      return "unknown value";
    default:
      return v.kind;
  }
}

/** True when `v`, or anything inside it, is unknown. */
export function containsUnknown(v: Value): boolean {
  switch (v.kind) {
    case "unknown":
      return true;
    case "tuple":
      return v.items.some(containsUnknown);
    case "object":
      for (const item of v.entries.values()) if (containsUnknown(item)) return true;
      return false;
    default:
      return false;
  }
}

/**
 * Deep equality as HCL's `==` defines it: kinds must match (`"1" == 1` is false), objects compare by keys
 * regardless of order. Callers handle unknown operands before asking.
 */
export function valuesEqual(a: Value, b: Value): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case "string":
    case "number":
    case "bool":
      return a.value === (b as typeof a).value;
    case "null":
    case "unknown":
      return true;
    case "tuple": {
      const items = (b as TupleValue).items;
      return a.items.length === items.length && a.items.every((x, i) => valuesEqual(x, items[i]!));
    }
    case "object": {
      const entries = (b as ObjectValue).entries;
      if (a.entries.size !== entries.size) return false;
      for (const [k, v] of a.entries) {
        const other = entries.get(k);
        if (other === undefined || !valuesEqual(v, other)) return false;
      }
      return true;
    }
  }
}

/**
 * A number as a string, the way cty prints numbers: integers without a fraction or exponent, other
 * numbers in their shortest exact decimal form, never in exponent notation.
 */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n) && Math.abs(n) >= 1e21) return BigInt(n).toString();
  const s = String(n);
  const e = s.indexOf("e");
  if (e < 0) return s;
  // Expand "1.5e-7" into "0.00000015": move the decimal point of the mantissa's digits.
  const negative = s.startsWith("-");
  const mantissa = s.slice(negative ? 1 : 0, e);
  const dot = mantissa.indexOf(".");
  const integerDigits = dot < 0 ? mantissa : mantissa.slice(0, dot);
  const digits = integerDigits + (dot < 0 ? "" : mantissa.slice(dot + 1));
  const point = integerDigits.length + Number(s.slice(e + 1));
  let body: string;
  if (point <= 0) body = `0.${"0".repeat(-point)}${digits}`;
  else if (point >= digits.length) body = digits + "0".repeat(point - digits.length);
  else body = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return (negative ? "-" : "") + body;
}

/**
 * Whether the whole number `digits` (decimal digits with an optional "-") survives as the double `n`: it
 * prints back the same, so no digit the user wrote was lost.
 */
export function isExactInteger(digits: string, n: number): boolean {
  return Number.isSafeInteger(n) || formatNumber(n) === digits.replace(/^(-?)0+(?=\d)/, "$1");
}

const NUMBER_SYNTAX = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** Parses a string the way cty converts strings to numbers (plain decimal syntax, no spaces). */
export function parseNumber(text: string): number | undefined {
  if (!NUMBER_SYNTAX.test(text)) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n)) return undefined;
  // A whole number written out must be held exactly: HCL keeps every digit, a double would change some.
  if (/^-?\d+$/.test(text) && !isExactInteger(text, n)) return undefined;
  return n;
}

/** A JSON-compatible rendering of a known value (objects keep their order; unknown becomes null). */
export function toJson(v: Value): unknown {
  switch (v.kind) {
    case "string":
    case "number":
    case "bool":
      return v.value;
    case "null":
    case "unknown":
      return null;
    case "tuple":
      return v.items.map(toJson);
    case "object": {
      const out: Record<string, unknown> = {};
      for (const [k, item] of v.entries) out[k] = toJson(item);
      return out;
    }
  }
}

/**
 * How deep arrays and objects nest in JSON text, counted without parsing it: `JSON.parse` and `fromJson`
 * recurse once per level, so text past the value depth limit is refused before either runs.
 */
export function jsonNesting(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // a backslash escapes the next character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > deepest) deepest = depth;
    } else if (c === 93 || c === 125) depth--;
  }
  return deepest;
}

/** The value of parsed JSON data (callers bound its depth first, with `jsonNesting`). */
export function fromJson(data: unknown): Value {
  if (data === null || data === undefined) return NULL;
  if (typeof data === "string") return stringValue(data);
  if (typeof data === "number") return numberValue(data);
  if (typeof data === "boolean") return boolValue(data);
  if (Array.isArray(data)) return tupleValue(data.map(fromJson));
  return objectValue(Object.entries(data as Record<string, unknown>).map(([k, item]) => [k, fromJson(item)] as const));
}
