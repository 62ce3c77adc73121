import { RE2JS } from "re2js";
import { LIMITS } from "../../source/limits.js";
import { STRING } from "../types.js";
import { NULL, objectValue, stringValue, tupleValue, type Value } from "../value.js";
import { asString } from "./args.js";
import { ArgumentError, FunctionError, type FunctionDef } from "./function.js";

/**
 * Regular expressions with RE2's syntax and, above all, its guarantee: matching takes time linear in the
 * input. JavaScript's RegExp backtracks, so `^(a+)+$` against "aaaa…!" takes exponential time; a
 * validation fed by a build argument must not be a way to hang a build. re2js is a pure-JavaScript port
 * of Go's regexp (which is RE2, and is what HCL and bake use), so patterns mean exactly what they mean
 * there, and one RE2 rejects (lookarounds, backreferences, repeats over 1000) is an ArgumentError.
 */
const MAX_PATTERN_LENGTH = 64 * 1024;
const cache = new Map<string, RE2JS>();
const CACHE_SIZE = 256;

/** The compiled pattern (cached), or an ArgumentError for argument `argIndex`. */
export function compileRegex(pattern: string, argIndex: number): RE2JS {
  const cached = cache.get(pattern);
  if (cached) return cached;
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw new ArgumentError(argIndex, `the regular expression is ${pattern.length} characters long, over slipway's limit of ${MAX_PATTERN_LENGTH}`);
  }
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern);
  } catch (e) {
    throw new ArgumentError(argIndex, `invalid regular expression (RE2 syntax): ${(e as Error).message}`);
  }
  if (cache.size >= CACHE_SIZE) cache.clear();
  cache.set(pattern, re);
  return re;
}

/** One match: the whole text, each group by number (null when it did not take part), and where it ended. */
export interface RegexMatch {
  readonly groups: readonly (string | null)[];
  readonly named: ReadonlyMap<string, number>;
  readonly start: number;
  readonly end: number;
}

/**
 * Every match of `re` in `s`, left to right and not overlapping, as Go's `FindAll` finds them: an empty
 * match right where the previous match ended is skipped (for `a*` in "baaac": "", "aaa", "").
 */
export function* allMatches(re: RE2JS, s: string): Generator<RegexMatch> {
  const m = re.matcher(s);
  const count = re.groupCount();
  const named = new Map(Object.entries(re.namedGroups()));
  let prevEnd = -1;
  let found = 0;
  for (let pos = 0; pos <= s.length && m.find(pos); ) {
    const start = m.start();
    const end = m.end();
    const accept = !(end === start && start === prevEnd);
    if (end === start) {
      const code = s.codePointAt(start);
      pos = start + (code !== undefined && code > 0xffff ? 2 : 1);
    } else {
      pos = end;
    }
    prevEnd = end;
    if (!accept) continue;
    // Every match is an element of a list, or a replacement, so the collection limit bounds them.
    if (++found > LIMITS.collectionLength) throw new FunctionError(`the pattern matches more than ${LIMITS.collectionLength} times, which is slipway's limit`);
    const groups: (string | null)[] = [];
    for (let g = 0; g <= count; g++) groups.push(m.group(g));
    yield { groups, named, start, end };
  }
}

/**
 * A match as go-cty's `regex` returns it: the matched text when the pattern has no groups, a list of the
 * groups when they are all unnamed, an object of them when they are all named; a group that did not take
 * part is null. A pattern mixing named and unnamed groups is refused, as in go-cty.
 */
function matchValue(match: RegexMatch, argIndex: number): Value {
  const captures = match.groups.length - 1;
  if (captures === 0) return stringValue(match.groups[0]!);
  const of = (g: string | null): Value => (g === null ? NULL : stringValue(g));
  if (match.named.size === 0) return tupleValue(match.groups.slice(1).map(of));
  if (match.named.size !== captures) throw new ArgumentError(argIndex, "the regular expression mixes named and unnamed groups; name all of them or none");
  return objectValue([...match.named].map(([name, index]) => [name, of(match.groups[index]!)] as const));
}

/** A replacement template read once: literal text and references to groups (by number or name). */
type TemplatePiece = string | { readonly group: string };

/**
 * Reads a Go `Regexp.Expand` replacement template: `$1`, `${1}`, `$name`, `${name}`, `$$` for a dollar.
 * As in Go, `$1x` names the group "1x", and a `$` not followed by a name is itself.
 */
function parseTemplate(template: string): TemplatePiece[] {
  const pieces: TemplatePiece[] = [];
  let text = "";
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c !== "$") {
      text += c;
      continue;
    }
    if (template[i + 1] === "$") {
      text += "$";
      i++;
      continue;
    }
    const braced = template[i + 1] === "{";
    const rest = template.slice(i + (braced ? 2 : 1), i + (braced ? 2 : 1) + 256);
    const name = /^[A-Za-z0-9_]+/.exec(rest)?.[0];
    if (name === undefined || (braced && rest[name.length] !== "}")) {
      text += "$";
      continue;
    }
    pieces.push(text, { group: name });
    text = "";
    i += name.length + (braced ? 2 : 0);
  }
  pieces.push(text);
  return pieces;
}

/** A template's text for one match; a group that does not exist or did not match expands to "". */
function expand(pieces: readonly TemplatePiece[], match: RegexMatch): string {
  let out = "";
  for (const p of pieces) {
    if (typeof p === "string") out += p;
    else {
      const index = /^\d+$/.test(p.group) ? Number(p.group) : match.named.get(p.group);
      out += (index === undefined ? undefined : match.groups[index]) ?? "";
    }
  }
  return out;
}

/** Go's `ReplaceAllString`: every match of `re` in `s` replaced by the expanded `template`. */
export function replaceAll(re: RE2JS, s: string, template: string): string {
  const pieces = parseTemplate(template);
  let out = "";
  let last = 0;
  for (const match of allMatches(re, s)) {
    out += s.slice(last, match.start) + expand(pieces, match);
    last = match.end;
    if (out.length > LIMITS.stringLength) throw new FunctionError(`the result would be longer than ${LIMITS.stringLength} characters, which is slipway's limit`);
  }
  return out + s.slice(last);
}

/** Regular-expression functions. */
export const regexFunctions: readonly FunctionDef[] = [
  {
    name: "regex",
    description:
      "Applies a regular expression to a string and returns the first match: the matched text, a list of the capture groups, or an object of the named groups.",
    params: [
      { name: "pattern", type: STRING },
      { name: "str", type: STRING },
    ],
    impl: ([pattern, s]) => {
      const re = compileRegex(asString(pattern!), 0);
      const first = allMatches(re, asString(s!)).next();
      if (first.done) throw new FunctionError("the pattern did not match any part of the string");
      return matchValue(first.value, 0);
    },
  },
  {
    name: "regexall",
    description: "Applies a regular expression to a string and returns every match, each as regex() would.",
    params: [
      { name: "pattern", type: STRING },
      { name: "str", type: STRING },
    ],
    impl: ([pattern, s]) => {
      const re = compileRegex(asString(pattern!), 0);
      const out: Value[] = [];
      for (const match of allMatches(re, asString(s!))) out.push(matchValue(match, 0));
      return tupleValue(out);
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
    impl: ([s, pattern, replacement]) => stringValue(replaceAll(compileRegex(asString(pattern!), 1), asString(s!), asString(replacement!))),
  },
];
