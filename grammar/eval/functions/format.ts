import { reasonOf } from "../../source/diagnostic.js";
import { ANY, STRING, convert } from "../types.js";
import { formatNumber, stringValue, toJson, type Value } from "../value.js";
import { asString } from "./args.js";
import { ArgumentError, FunctionError, type FunctionDef } from "./function.js";

/**
 * `format(spec, args...)`: Go-style verbs as cty implements them. `%v` prints any value (collections as
 * JSON), `%#v` always as JSON, `%s` a string, `%q` a quoted string, `%d` a whole number, `%f`/`%e`/`%g`
 * numbers, `%x`/`%X`/`%o`/`%b` whole numbers in other bases, `%t` a bool, `%%` a percent sign; flags `-`
 * (left-align), `0` (zero-pad), `+` and space (sign), then width and `.precision`.
 */
export const formatFunctions: readonly FunctionDef[] = [
  {
    name: "format",
    description: "Formats values into a string with Go-style verbs: %s %q %d %f %v %t and %%, with widths and precision.",
    params: [{ name: "format", type: STRING }],
    variadic: { name: "args", type: ANY, allowNull: true },
    impl: ([spec, ...args]) => stringValue(format(asString(spec!), args)),
  },
];

/** Widths and precisions past these are refused (JavaScript's own number formatting stops at 100 digits). */
const MAX_WIDTH = 1000;
const MAX_PRECISION = 100;

const VERB = /%([-+# 0]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])?/y;

function format(spec: string, args: readonly Value[]): string {
  let out = "";
  let next = 0;
  for (let i = 0; i < spec.length; ) {
    const percent = spec.indexOf("%", i);
    if (percent < 0) {
      out += spec.slice(i);
      break;
    }
    out += spec.slice(i, percent);
    VERB.lastIndex = percent;
    const m = VERB.exec(spec)!;
    i = VERB.lastIndex;
    const [whole, flags = "", width, precision, verb] = m;
    if (verb === undefined) throw new ArgumentError(0, `the format "${whole}" at offset ${percent} has no verb`);
    if (verb === "%") {
      out += "%";
      continue;
    }
    if (Number(width ?? 0) > MAX_WIDTH || Number(precision ?? 0) > MAX_PRECISION) {
      throw new ArgumentError(0, `"${whole}" at offset ${percent} asks for a width over ${MAX_WIDTH} or a precision over ${MAX_PRECISION}, slipway's limits`);
    }
    if (next >= args.length) throw new FunctionError(`not enough arguments for "${whole}" at offset ${percent}`);
    const argIndex = next + 1;
    const text = formatOne(verb, flags, precision === undefined ? undefined : Number(precision), args[next++]!, argIndex, whole);
    out += pad(text, flags, width === undefined ? 0 : Number(width), "dfeEgGxXob".includes(verb));
  }
  if (next < args.length) {
    throw new FunctionError(`too many arguments: the format uses ${next} but ${args.length} were given`);
  }
  return out;
}

function formatOne(verb: string, flags: string, precision: number | undefined, arg: Value, argIndex: number, whole: string): string {
  switch (verb) {
    case "v":
      if (flags.includes("#")) return JSON.stringify(toJson(arg));
      if (arg.kind === "null") return "null";
      if (arg.kind === "tuple" || arg.kind === "object") return JSON.stringify(toJson(arg));
      return truncate(stringOf(arg, argIndex, whole), precision);
    case "s":
      return truncate(stringOf(arg, argIndex, whole), precision);
    case "q":
      return JSON.stringify(truncate(stringOf(arg, argIndex, whole), precision));
    case "t":
      if (arg.kind !== "bool") {
        const c = convert(arg, { kind: "bool" });
        if (c.value?.kind !== "bool") throw new ArgumentError(argIndex, `"${whole}" needs a bool: ${c.value !== undefined ? "null given" : reasonOf(c)}`);
        return String(c.value.value);
      }
      return String(arg.value);
    default: {
      const n = numberOf(arg, argIndex, whole);
      const sign = n < 0 ? "-" : flags.includes("+") ? "+" : flags.includes(" ") ? " " : "";
      const a = Math.abs(n);
      switch (verb) {
        case "d":
        case "x":
        case "X":
        case "o":
        case "b": {
          if (!Number.isInteger(n)) throw new ArgumentError(argIndex, `"${whole}" needs a whole number, but the value is ${formatNumber(n)}`);
          const radix = verb === "d" ? 10 : verb === "o" ? 8 : verb === "b" ? 2 : 16;
          const digits = BigInt(a).toString(radix);
          return sign + (verb === "X" ? digits.toUpperCase() : digits);
        }
        case "f":
        case "F":
          return sign + a.toFixed(precision ?? 6);
        case "e":
        case "E": {
          const s = a.toExponential(precision ?? 6).replace(/e([+-])(\d)$/, "e$10$2");
          return sign + (verb === "E" ? s.toUpperCase() : s);
        }
        case "g":
        case "G": {
          const s = precision === undefined ? formatNumber(a) : String(Number(a.toPrecision(Math.max(precision, 1))));
          return sign + (verb === "G" ? s.toUpperCase() : s);
        }
        default:
          throw new ArgumentError(0, `the verb "%${verb}" is not supported (use %s, %q, %d, %f, %e, %g, %x, %o, %b, %t, %v or %%)`);
      }
    }
  }
}

function stringOf(arg: Value, argIndex: number, whole: string): string {
  const c = convert(arg, STRING);
  if (c.value?.kind !== "string") {
    throw new ArgumentError(argIndex, `"${whole}" needs a string: ${c.value !== undefined ? "the value is null" : reasonOf(c)}`);
  }
  return c.value.value;
}

function numberOf(arg: Value, argIndex: number, whole: string): number {
  const c = convert(arg, { kind: "number" });
  if (c.value?.kind !== "number") {
    throw new ArgumentError(argIndex, `"${whole}" needs a number: ${c.value !== undefined ? "the value is null" : reasonOf(c)}`);
  }
  return c.value.value;
}

function truncate(s: string, precision: number | undefined): string {
  return precision === undefined ? s : Array.from(s).slice(0, precision).join("");
}

function pad(text: string, flags: string, width: number, numeric: boolean): string {
  const length = Array.from(text).length;
  if (length >= width) return text;
  const fill = width - length;
  if (flags.includes("-")) return text + " ".repeat(fill);
  if (numeric && flags.includes("0")) {
    const signed = /^[-+ ]/.test(text);
    return signed ? text[0] + "0".repeat(fill) + text.slice(1) : "0".repeat(fill) + text;
  }
  return " ".repeat(fill) + text;
}
