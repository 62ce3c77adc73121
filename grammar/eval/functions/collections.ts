import { ANY, NUMBER, STRING, listOf, mapOf } from "../types.js";
import { boolValue, numberValue, objectValue, stringValue, tupleValue, valuesEqual, type Value } from "../value.js";
import { asEntries, asInteger, asItems, asNumber, asString, codePoints } from "./args.js";
import { ArgumentError, FunctionError, type FunctionDef } from "./function.js";

const LIST = listOf(ANY);
const MAP = mapOf(ANY);

/** cty refuses to build longer ranges; so do we, so that a typo cannot allocate without bound. */
const MAX_RANGE = 1024;

/** Functions on lists and maps. */
export const collectionFunctions: readonly FunctionDef[] = [
  {
    name: "concat",
    description: "Joins several lists into one.",
    params: [],
    variadic: { name: "lists", type: LIST, min: 1 },
    impl: (lists) => tupleValue(lists.flatMap((l) => asItems(l))),
  },
  {
    name: "contains",
    description: "Whether a list contains a value.",
    params: [
      { name: "list", type: LIST },
      { name: "value", type: ANY, allowNull: true },
    ],
    impl: ([list, value]) => boolValue(asItems(list!).some((item) => valuesEqual(item, value!))),
  },
  {
    name: "length",
    description: "The number of elements of a list or map, or of characters in a string.",
    params: [{ name: "value", type: ANY }],
    impl: ([v]) => {
      if (v!.kind === "string") return numberValue(codePoints(v!.value).length);
      if (v!.kind === "tuple") return numberValue(v!.items.length);
      if (v!.kind === "object") return numberValue(v!.entries.size);
      throw new ArgumentError(0, `a string, list or map is required, but the value is a ${v!.kind}`);
    },
  },
  {
    name: "coalesce",
    description: "The first argument that is neither null nor an empty string.",
    params: [],
    variadic: { name: "vals", type: ANY, allowNull: true, min: 1 },
    impl: (vals) => {
      const found = vals.find((v) => v.kind !== "null" && !(v.kind === "string" && v.value === ""));
      if (!found) throw new FunctionError("every argument is null or an empty string");
      return found;
    },
  },
  {
    name: "lookup",
    description: "The value of a key in a map, or the default when the key is absent.",
    params: [
      { name: "map", type: MAP },
      { name: "key", type: STRING },
    ],
    variadic: { name: "default", type: ANY, allowNull: true, max: 1 },
    impl: ([map, key, fallback]) => {
      const v = asEntries(map!).get(asString(key!));
      if (v !== undefined) return v;
      if (fallback !== undefined) return fallback;
      throw new ArgumentError(1, `the map has no key "${asString(key!)}" and no default was given`);
    },
  },
  {
    name: "keys",
    description: "The keys of a map, sorted.",
    params: [{ name: "map", type: MAP }],
    impl: ([map]) => tupleValue(sortedKeys(asEntries(map!)).map(stringValue)),
  },
  {
    name: "values",
    description: "The values of a map, in the order of its sorted keys.",
    params: [{ name: "map", type: MAP }],
    impl: ([map]) => {
      const entries = asEntries(map!);
      return tupleValue(sortedKeys(entries).map((k) => entries.get(k)!));
    },
  },
  {
    name: "merge",
    description: "Merges maps into one; when a key repeats, the last map's value wins. Null arguments are skipped.",
    params: [],
    variadic: { name: "maps", type: MAP, allowNull: true },
    impl: (maps) => {
      const out = new Map<string, Value>();
      for (const m of maps) if (m.kind !== "null") for (const [k, v] of asEntries(m)) out.set(k, v);
      return objectValue(out);
    },
  },
  {
    name: "distinct",
    description: "A list without its repeated elements (the first of each is kept).",
    params: [{ name: "list", type: LIST }],
    impl: ([list]) => {
      // By a canonical key, not by comparing each element with every kept one: that is quadratic.
      const seen = new Set<string>();
      const out: Value[] = [];
      for (const item of asItems(list!)) {
        const key = canonicalKey(item);
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(item);
      }
      return tupleValue(out);
    },
  },
  {
    name: "flatten",
    description: "Replaces nested lists by their elements, at any depth.",
    params: [{ name: "list", type: LIST }],
    impl: ([list]) => {
      const out: Value[] = [];
      const walk = (items: readonly Value[]): void => {
        for (const item of items) if (item.kind === "tuple") walk(item.items);
        else out.push(item);
      };
      walk(asItems(list!));
      return tupleValue(out);
    },
  },
  {
    name: "element",
    description: "The element of a list at an index; an index past the end wraps around.",
    params: [
      { name: "list", type: LIST },
      { name: "index", type: NUMBER },
    ],
    impl: ([list, index]) => {
      const items = asItems(list!);
      const i = asInteger(index!, 1);
      if (items.length === 0) throw new ArgumentError(0, "the list is empty");
      if (i < 0) throw new ArgumentError(1, "the index must not be negative");
      return items[i % items.length]!;
    },
  },
  {
    name: "slice",
    description: "The elements of a list from a start index up to (not including) an end index.",
    params: [
      { name: "list", type: LIST },
      { name: "start_index", type: NUMBER },
      { name: "end_index", type: NUMBER },
    ],
    impl: ([list, startArg, endArg]) => {
      const items = asItems(list!);
      const start = asInteger(startArg!, 1);
      const end = asInteger(endArg!, 2);
      if (start < 0 || start > items.length) throw new ArgumentError(1, `the start index must be between 0 and ${items.length}`);
      if (end < start || end > items.length) throw new ArgumentError(2, `the end index must be between ${start} and ${items.length}`);
      return tupleValue(items.slice(start, end));
    },
  },
  {
    name: "reverse",
    description: "A list in reverse order.",
    params: [{ name: "list", type: LIST }],
    impl: ([list]) => tupleValue([...asItems(list!)].reverse()),
  },
  {
    name: "sort",
    description: "A list of strings in lexical order.",
    params: [{ name: "list", type: listOf(STRING) }],
    impl: ([list]) => tupleValue([...asItems(list!)].sort((a, b) => compare(asString(a), asString(b)))),
  },
  {
    name: "range",
    description: "A list of numbers: range(limit), range(start, limit) or range(start, limit, step); limit is excluded.",
    params: [],
    variadic: { name: "params", type: NUMBER, min: 1, max: 3 },
    impl: (args) => {
      const [start, limit] = args.length === 1 ? [0, asNumber(args[0]!)] : [asNumber(args[0]!), asNumber(args[1]!)];
      const step = args.length === 3 ? asNumber(args[2]!) : start <= limit ? 1 : -1;
      if (step === 0) throw new ArgumentError(2, "the step must not be zero");
      if ((step > 0 && start > limit) || (step < 0 && start < limit)) {
        throw new ArgumentError(args.length === 3 ? 2 : 1, "the step goes away from the limit, so the range would never end");
      }
      const out: Value[] = [];
      for (let n = start; step > 0 ? n < limit : n > limit; n += step) {
        if (out.length >= MAX_RANGE) throw new FunctionError(`the range would have more than ${MAX_RANGE} elements`);
        out.push(numberValue(n));
      }
      return tupleValue(out);
    },
  },
  {
    name: "tolist",
    description: "Converts a value to a list (it must already be a list or tuple).",
    params: [{ name: "value", type: LIST, allowNull: true }],
    impl: ([v]) => v!,
  },
  {
    name: "tomap",
    description: "Converts a value to a map (it must already be a map or object).",
    params: [{ name: "value", type: MAP, allowNull: true }],
    impl: ([v]) => v!,
  },
];

/** A string equal for two values exactly when `valuesEqual` says they are equal (map keys sorted). */
function canonicalKey(v: Value): string {
  switch (v.kind) {
    case "string":
      return JSON.stringify(v.value);
    case "number":
      return `n${v.value}`;
    case "bool":
    case "null":
    case "unknown":
      return v.kind === "bool" ? String(v.value) : v.kind;
    case "tuple":
      return `[${v.items.map(canonicalKey).join(",")}]`;
    case "object":
      return `{${sortedKeys(v.entries).map((k) => `${JSON.stringify(k)}:${canonicalKey(v.entries.get(k)!)}`).join(",")}}`;
  }
}

function sortedKeys(entries: ReadonlyMap<string, Value>): string[] {
  return [...entries.keys()].sort(compare);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
