import { STRING } from "../types.js";
import { NULL, objectValue, stringValue, tupleValue, type Value } from "../value.js";
import { asString } from "./args.js";
import { ArgumentError, FunctionError, type FunctionDef } from "./function.js";

/**
 * Compiles a pattern written for Go's RE2 (what HCL and bake document) as a JavaScript RegExp: leading
 * `(?i)`/`(?s)`/`(?m)` flag groups become flags, `(?P<name>…)` becomes `(?<name>…)`, and `\A`/`\z` become
 * lookarounds. A pattern JavaScript rejects is an ArgumentError for argument `argIndex`.
 */
export function compileRegex(pattern: string, argIndex: number, global: boolean): RegExp {
  let source = pattern;
  let flags = global ? "gu" : "u";
  const leading = /^\(\?([a-zA-Z]+)\)/.exec(source);
  if (leading) {
    for (const f of leading[1]!) {
      if (f === "i" || f === "m" || f === "s") flags += flags.includes(f) ? "" : f;
      else throw new ArgumentError(argIndex, `the regular expression flag "${f}" is not supported (use i, m or s)`);
    }
    source = source.slice(leading[0].length);
  }
  source = source.replaceAll("(?P<", "(?<").replaceAll("\\A", "(?<![\\s\\S])").replaceAll("\\z", "(?![\\s\\S])");
  try {
    return new RegExp(source, flags);
  } catch (e) {
    throw new ArgumentError(argIndex, `invalid regular expression: ${(e as Error).message}`);
  }
}

/**
 * Expands a Go `Regexp.Expand` replacement template: `$1`, `${1}`, `$name`, `${name}`, `$$` for a dollar.
 * As in Go, `$1x` names the group "1x", and a group that does not exist or did not match expands to "".
 */
export function expandGoTemplate(template: string, match: RegExpExecArray): string {
  let out = "";
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c !== "$") {
      out += c;
      continue;
    }
    if (template[i + 1] === "$") {
      out += "$";
      i++;
      continue;
    }
    const braced = template[i + 1] === "{";
    const rest = template.slice(i + (braced ? 2 : 1));
    const name = /^[A-Za-z0-9_]+/.exec(rest)?.[0];
    if (name === undefined || (braced && rest[name.length] !== "}")) {
      out += "$";
      continue;
    }
    out += (/^\d+$/.test(name) ? match[Number(name)] : match.groups?.[name]) ?? "";
    i += name.length + (braced ? 2 : 0);
  }
  return out;
}

/** Regular-expression functions. */
export const regexFunctions: readonly FunctionDef[] = [
  {
    name: "regex",
    description:
      "Applies a regular expression to a string and returns the match: the matched text, a list of the capture groups, or an object of the named groups.",
    params: [
      { name: "pattern", type: STRING },
      { name: "str", type: STRING },
    ],
    impl: ([pattern, s]) => {
      const re = compileRegex(asString(pattern!), 0, false);
      const match = re.exec(asString(s!));
      if (!match) throw new FunctionError("the pattern did not match any part of the string");
      if (match.groups) {
        return objectValue(Object.entries(match.groups).map(([k, v]) => [k, v === undefined ? NULL : stringValue(v)] as const));
      }
      if (match.length === 1) return stringValue(match[0]);
      return tupleValue(match.slice(1).map((v): Value => (v === undefined ? NULL : stringValue(v))));
    },
  },
  {
    name: "regex_replace",
    description: "Replaces every match of a regular expression in a string; the replacement may use $1 or ${name}.",
    params: [
      { name: "str", type: STRING },
      { name: "pattern", type: STRING },
      { name: "replacement", type: STRING },
    ],
    impl: ([s, pattern, replacement]) => {
      const re = compileRegex(asString(pattern!), 1, true);
      const template = asString(replacement!);
      return stringValue(asString(s!).replace(re, (...args) => expandGoTemplate(template, regexMatch(args))));
    },
  },
];

/** The exec-array view of String.prototype.replace's callback arguments. */
export function regexMatch(args: unknown[]): RegExpExecArray {
  const hasGroups = typeof args[args.length - 1] === "object" && args[args.length - 1] !== null;
  const groups = hasGroups ? (args[args.length - 1] as Record<string, string | undefined>) : undefined;
  const captures = args.slice(0, hasGroups ? -3 : -2) as (string | undefined)[];
  const match = captures as unknown as RegExpExecArray;
  match.groups = groups as Record<string, string> | undefined;
  return match;
}

