import { STRING, NUMBER, listOf } from "../types.js";
import { stringValue, tupleValue, boolValue } from "../value.js";
import { asInteger, asItems, asString, codePoints } from "./args.js";
import { LIMITS } from "../../source/limits.js";
import { ArgumentError, FunctionError, type FunctionDef } from "./function.js";
import { compileRegex, replaceAll } from "./regex.js";

const str = (name: string) => ({ name, type: STRING });

/** String functions: case, trimming, searching, splitting and joining. */
export const stringFunctions: readonly FunctionDef[] = [
  {
    name: "lower",
    description: "Converts every letter of a string to lowercase.",
    params: [str("str")],
    impl: ([s]) => stringValue(asString(s!).toLowerCase()),
  },
  {
    name: "upper",
    description: "Converts every letter of a string to uppercase.",
    params: [str("str")],
    impl: ([s]) => stringValue(asString(s!).toUpperCase()),
  },
  {
    name: "trim",
    description: "Removes the given characters from the start and end of a string.",
    params: [str("str"), str("cutset")],
    impl: ([s, cutset]) => {
      const cut = new Set(codePoints(asString(cutset!)));
      const chars = codePoints(asString(s!));
      let start = 0;
      let end = chars.length;
      while (start < end && cut.has(chars[start]!)) start++;
      while (end > start && cut.has(chars[end - 1]!)) end--;
      return stringValue(chars.slice(start, end).join(""));
    },
  },
  {
    name: "trimspace",
    description: "Removes whitespace (spaces, tabs, line breaks) from the start and end of a string.",
    params: [str("str")],
    impl: ([s]) => stringValue(asString(s!).trim()),
  },
  {
    name: "trimprefix",
    description: "Removes a prefix from a string, if the string starts with it.",
    params: [str("str"), str("prefix")],
    impl: ([s, prefix]) => {
      const v = asString(s!);
      const p = asString(prefix!);
      return stringValue(v.startsWith(p) ? v.slice(p.length) : v);
    },
  },
  {
    name: "trimsuffix",
    description: "Removes a suffix from a string, if the string ends with it.",
    params: [str("str"), str("suffix")],
    impl: ([s, suffix]) => {
      const v = asString(s!);
      const p = asString(suffix!);
      return stringValue(p !== "" && v.endsWith(p) ? v.slice(0, v.length - p.length) : v);
    },
  },
  {
    name: "replace",
    description:
      'Replaces every occurrence of a substring; a substring written as "/pattern/" is a regular expression, and the replacement may use $1 or ${name}.',
    params: [str("str"), str("substr"), str("replace")],
    impl: ([s, substr, replacement]) => {
      const v = asString(s!);
      const search = asString(substr!);
      const r = asString(replacement!);
      if (search.length >= 2 && search.startsWith("/") && search.endsWith("/")) {
        return stringValue(replaceAll(compileRegex(search.slice(1, -1), 1), v, r));
      }
      if (search === "") throw new ArgumentError(1, "the substring to replace must not be empty");
      const size = v.length + (partCount(v, search) - 1) * (r.length - search.length);
      if (size > LIMITS.stringLength) throw new FunctionError(`the result would have ${size} characters, and slipway's limit for a string is ${LIMITS.stringLength}`);
      return stringValue(v.split(search).join(r));
    },
  },
  {
    name: "split",
    description: "Splits a string into a list of strings at every occurrence of a separator.",
    params: [str("separator"), str("str")],
    impl: ([sep, s]) => {
      const separator = asString(sep!);
      const v = asString(s!);
      // Counted before the parts are made: a long string split at every character is a large list.
      if (partCount(v, separator) > LIMITS.collectionLength) {
        throw new FunctionError(`the string splits into more than ${LIMITS.collectionLength} parts, which is slipway's limit for a list`);
      }
      const parts = separator === "" ? codePoints(v) : v.split(separator);
      return tupleValue(parts.map(stringValue));
    },
  },
  {
    name: "join",
    description: "Joins the strings of one or more lists with a separator between them.",
    params: [str("separator")],
    variadic: { name: "lists", type: listOf(STRING), min: 1 },
    impl: ([sep, ...lists]) => {
      const items: string[] = [];
      let size = 0;
      for (const list of lists) {
        for (const item of asItems(list)) {
          const text = asString(item);
          items.push(text);
          size += text.length;
        }
      }
      const separator = asString(sep!);
      size += Math.max(0, items.length - 1) * separator.length;
      if (size > LIMITS.stringLength) throw new FunctionError(`the result would have ${size} characters, and slipway's limit for a string is ${LIMITS.stringLength}`);
      return stringValue(items.join(separator));
    },
  },
  {
    name: "substr",
    description:
      "Extracts part of a string by character offset and length; a negative offset counts from the end and a length of -1 means the rest.",
    params: [str("str"), { name: "offset", type: NUMBER }, { name: "length", type: NUMBER }],
    impl: ([s, offsetArg, lengthArg]) => {
      const chars = codePoints(asString(s!));
      let offset = asInteger(offsetArg!, 1);
      const length = asInteger(lengthArg!, 2);
      if (offset < 0) offset += chars.length;
      if (offset < 0) throw new ArgumentError(1, "the offset is before the start of the string");
      if (length < -1) throw new ArgumentError(2, "the length must be -1 (the rest of the string) or more");
      const end = length === -1 ? chars.length : Math.min(chars.length, offset + length);
      return stringValue(chars.slice(offset, Math.max(offset, end)).join(""));
    },
  },
  {
    name: "startswith",
    description: "Whether a string starts with a prefix.",
    params: [str("str"), str("prefix")],
    impl: ([s, prefix]) => boolValue(asString(s!).startsWith(asString(prefix!))),
  },
  {
    name: "endswith",
    description: "Whether a string ends with a suffix.",
    params: [str("str"), str("suffix")],
    impl: ([s, suffix]) => boolValue(asString(s!).endsWith(asString(suffix!))),
  },
];

/** How many parts `s` splits into at `separator` ("" splits between characters), counting no further than needed. */
function partCount(s: string, separator: string): number {
  if (separator === "") return s.length;
  let parts = 1;
  for (let i = s.indexOf(separator); i >= 0 && parts <= LIMITS.collectionLength; i = s.indexOf(separator, i + separator.length)) parts++;
  return parts;
}
