import { describe, expect, it } from "vitest";
import type { Expr } from "../../syntax/ast.js";
import { bool, call, nul, num, obj, str, tuple } from "../../../test/grammar/helpers/ast.js";
import { evaluate } from "../evaluate.js";
import { Scope } from "../scope.js";
import { toJson } from "../value.js";
import type { FileRead } from "./function.js";
import { STANDARD_FUNCTIONS } from "./index.js";

/** An expression that evaluates to the JSON value `x`. */
function lit(x: unknown): Expr {
  if (x === null) return nul();
  if (typeof x === "string") return str(x);
  if (typeof x === "number") return num(x);
  if (typeof x === "boolean") return bool(x);
  if (Array.isArray(x)) return tuple(...x.map(lit));
  return obj(...Object.entries(x as Record<string, unknown>).map(([k, v]) => [k, lit(v)] as [string, Expr]));
}

const files: Record<string, FileRead> = {
  "keys/repo.asc": { kind: "text", text: "-----BEGIN PGP PUBLIC KEY BLOCK-----\n" },
  "later.txt": { kind: "deferred" },
  "locked.txt": { kind: "error", message: "permission denied" },
};
const scope = Scope.root({ readFile: (path) => files[path] ?? { kind: "missing" } });

function run(name: string, args: unknown[]) {
  return evaluate(call(name, ...args.map(lit)), scope);
}

// [function, arguments, expected result]
const results: [string, unknown[], unknown][] = [
  ["lower", ["ABC É"], "abc é"],
  ["upper", ["abc é"], "ABC É"],
  ["trim", ["?!hello?!", "!?"], "hello"],
  ["trimspace", ["  \n hi \t"], "hi"],
  ["trimprefix", ["v1.2.3", "v"], "1.2.3"],
  ["trimprefix", ["1.2.3", "v"], "1.2.3"],
  ["trimsuffix", ["app.tar.gz", ".gz"], "app.tar"],
  ["replace", ["a-b-c", "-", "_"], "a_b_c"],
  ["replace", ["v1.2.3", "/v(\\d+)\\.(\\d+).*/", "$1-$2"], "1-2"],
  ["split", [",", "a,b,,c"], ["a", "b", "", "c"]],
  ["split", [",", ""], [""]],
  ["join", ["/", ["a", "b"], ["c"]], "a/b/c"],
  ["format", ["%s-%d-%.2f-%q-%v-%t-%%", "x", 42, 3.14159, "q", ["l", 1], true], 'x-42-3.14-"q"-["l",1]-true-%'],
  ["format", ["%5s|%-5s|%05d|%+d|%x|%X|%o|%b", "ab", "ab", 42, 7, 255, 255, 8, 5], "   ab|ab   |00042|+7|ff|FF|10|101"],
  ["format", ["%v %v %#v", 1.5, "s", "s"], '1.5 s "s"'],
  ["format", ["%e", 1234.5], "1.234500e+03"],
  ["concat", [["a"], [], ["b", "c"]], ["a", "b", "c"]],
  ["contains", [["a", "b"], "b"], true],
  ["contains", [[1, 2], "2"], false],
  ["length", ["héllo"], 5],
  ["length", [[1, 2, 3]], 3],
  ["length", [{ a: 1 }], 1],
  ["coalesce", [null, "", "x", "y"], "x"],
  ["coalesce", [null, 0], 0],
  ["regex", ["[0-9]+", "abc123def"], "123"],
  ["regex", ["(\\d+)\\.(\\d+)", "v1.22"], ["1", "22"]],
  ["regex", ["(?P<major>\\d+)\\.(?P<minor>\\d+)", "v1.22"], { major: "1", minor: "22" }],
  ["regex", ["(?i)^DEB", "deb http://x"], "deb"],
  ["regex", ["(?U)a+", "aaa"], "a"],
  ["regex", ["x(a)?", "x"], [null]],
  ["regexall", ["[0-9]+", "a1b22c333"], ["1", "22", "333"]],
  ["regexall", ["(\\w)=(\\d)", "a=1 b=2"], [["a", "1"], ["b", "2"]]],
  ["regexall", ["a*", "baaac"], ["", "aaa", ""]],
  ["regex_replace", ["baaac", "a*", "-"], "-b-c-"],
  ["regex_replace", ["x", "$1x", "y"], "x"],
  ["regex_replace", ["ab", "(a)", "$1x"], "b"],
  ["regex_replace", ["1.2.3", "\\.", "-"], "1-2-3"],
  ["regex_replace", ["key=value", "(?P<k>\\w+)=(?P<v>\\w+)", "${v}=${k}"], "value=key"],
  ["regex_replace", ["price 5", "(\\d)", "$$$1"], "price $5"],
  ["sha256", ["hello"], "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"],
  ["sha256", [""], "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
  ["base64encode", ["héllo wörld"], "aMOpbGxvIHfDtnJsZA=="],
  ["base64encode", ["ab"], "YWI="],
  ["base64decode", ["aMOpbGxvIHfDtnJsZA=="], "héllo wörld"],
  ["base64decode", ["YWI="], "ab"],
  ["jsonencode", [{ b: [1, true, null], a: "x" }], '{"a":"x","b":[1,true,null]}'],
  ["jsondecode", ['{"a":[1,"x",false,null]}'], { a: [1, "x", false, null] }],
  ["file", ["./keys//repo.asc"], "-----BEGIN PGP PUBLIC KEY BLOCK-----\n"],
  ["substr", ["hello world", 6, 5], "world"],
  ["substr", ["hello", -3, -1], "llo"],
  ["substr", ["héllo", 1, 100], "éllo"],
  ["startswith", ["debian:bookworm", "debian"], true],
  ["endswith", ["app.tar.gz", ".zip"], false],
  ["lookup", [{ a: "1" }, "a"], "1"],
  ["lookup", [{ a: "1" }, "b", "none"], "none"],
  ["keys", [{ b: 1, a: 2 }], ["a", "b"]],
  ["values", [{ b: 1, a: 2 }], [2, 1]],
  ["merge", [{ a: 1, b: 1 }, null, { b: 2 }], { a: 1, b: 2 }],
  ["distinct", [["a", "b", "a", "c", "b"]], ["a", "b", "c"]],
  ["flatten", [[["a"], [], [["b"]], "c"]], ["a", "b", "c"]],
  ["element", [["a", "b", "c"], 4], "b"],
  ["slice", [["a", "b", "c", "d"], 1, 3], ["b", "c"]],
  ["reverse", [[1, 2, 3]], [3, 2, 1]],
  ["sort", [["b", "a", "C"]], ["C", "a", "b"]],
  ["range", [3], [0, 1, 2]],
  ["range", [1, 4], [1, 2, 3]],
  ["range", [10, 0, -4], [10, 6, 2]],
  ["min", [3, 1, 2], 1],
  ["max", [3, 1, 2], 3],
  ["abs", [-4.5], 4.5],
  ["ceil", [1.2], 2],
  ["floor", [1.8], 1],
  ["tostring", [12], "12"],
  ["tostring", [true], "true"],
  ["tostring", [null], null],
  ["tonumber", ["1.5"], 1.5],
  ["tobool", ["false"], false],
  ["tolist", [["a", 1]], ["a", 1]],
  ["tomap", [{ a: 1 }], { a: 1 }],
];

// [function, arguments, diagnostic summary, text the detail contains]
const failures: [string, unknown[], string, string][] = [
  ["lower", [["x"]], "Invalid function argument", 'Invalid value for "str" parameter of lower(): a string is required'],
  ["trim", ["x"], "Not enough function arguments", 'the value for "cutset" is missing'],
  ["replace", ["abc", "", "x"], "Invalid function argument", "must not be empty"],
  ["replace", ["abc", "/(/", "x"], "Invalid function argument", "invalid regular expression"],
  ["join", [","], "Not enough function arguments", '"lists"'],
  ["format", ["%d", 1.5], "Invalid function argument", "whole number"],
  ["format", ["%s %s", "a"], "Error in function call", "not enough arguments"],
  ["format", ["%s", "a", "b"], "Error in function call", "too many arguments"],
  ["format", ["%y", 1], "Invalid function argument", "not supported"],
  ["length", [3], "Invalid function argument", "a string, list or map is required"],
  ["coalesce", [null, ""], "Error in function call", "every argument is null or an empty string"],
  ["regex", ["z+", "abc"], "Error in function call", "did not match"],
  ["regex", ["^(a+)+$", "a".repeat(40) + "!"], "Error in function call", "did not match"],
  ["regex", ["(a)|(?P<b>b)", "b"], "Invalid function argument", "mixes named and unnamed"],
  ["regex", ["(?=a)", "abc"], "Invalid function argument", "RE2 syntax"],
  ["regex", ["a{1001}", "abc"], "Invalid function argument", "invalid repeat count"],
  ["regexall", ["(", "abc"], "Invalid function argument", "missing closing )"],
  ["base64decode", ["not base64!"], "Invalid function argument", "not valid base64"],
  ["base64decode", ["/w=="], "Invalid function argument", "not valid UTF-8"],
  ["jsondecode", ["{nope"], "Invalid function argument", "not valid JSON"],
  ["file", ["/etc/passwd"], "Invalid function argument", "absolute path"],
  ["file", ["../secret"], "Invalid function argument", "leaves the build context"],
  ["file", ["a/../../secret"], "Invalid function argument", "leaves the build context"],
  ["file", ["nope.txt"], "Invalid function argument", 'there is no file "nope.txt" in the build context'],
  ["file", ["locked.txt"], "Invalid function argument", "permission denied"],
  ["substr", ["abc", -5, 1], "Invalid function argument", "before the start"],
  ["lookup", [{ a: "1" }, "b"], "Invalid function argument", 'no key "b"'],
  ["lookup", [{ a: "1" }, "b", "c", "d"], "Too many function arguments", "expects 2 to 3 arguments"],
  ["keys", [["a"]], "Invalid function argument", "map(any) is required"],
  ["element", [[], 0], "Invalid function argument", "empty"],
  ["slice", [["a"], 0, 2], "Invalid function argument", "end index"],
  ["sort", [[1, ["x"]]], "Invalid function argument", "element 1"],
  ["range", [0, 5000], "Error in function call", "more than 1024"],
  ["range", [0, 5, -1], "Invalid function argument", "never end"],
  ["min", [], "Not enough function arguments", "at least 1 argument"],
  ["abs", ["x"], "Invalid function argument", "a number is required"],
  ["tostring", [["a"]], "Invalid function argument", "a string is required"],
  ["tonumber", ["12a"], "Invalid function argument", "a number is required"],
  ["tobool", ["yes"], "Invalid function argument", "a bool is required"],
  ["tolist", ["a"], "Invalid function argument", "list(any) is required"],
  ["tomap", [["a"]], "Invalid function argument", "map(any) is required"],
];

describe("standard functions", () => {
  it.each(results)("%s(%j)", (name, args, want) => {
    const r = run(name, args);
    expect(r.diagnostics).toEqual([]);
    expect(toJson(r.value)).toEqual(want);
  });

  it.each(failures)("%s(%j) is reported", (name, args, summary, detail) => {
    const r = run(name, args);
    expect(r.value.kind).toBe("unknown");
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]!.summary).toBe(summary);
    expect(r.diagnostics[0]!.detail).toContain(detail);
  });

  it("every function in the table has a passing and a failing case", () => {
    const covered = new Set([...results.map((r) => r[0]), "try", "can"]);
    expect([...STANDARD_FUNCTIONS.keys()].filter((n) => !covered.has(n))).toEqual([]);
    const failing = new Set([...failures.map((f) => f[0]), "try", "can"]);
    const lenient = new Set(["upper", "trimspace", "trimprefix", "trimsuffix", "split", "contains", "sha256", "base64encode", "jsonencode", "startswith", "endswith", "values", "merge", "distinct", "flatten", "reverse", "max", "ceil", "floor", "concat", "regex_replace"]);
    expect([...STANDARD_FUNCTIONS.keys()].filter((n) => !failing.has(n) && !lenient.has(n))).toEqual([]);
  });

  it("file() of a deferred path is unknown, without a diagnostic", () => {
    const r = run("file", ["later.txt"]);
    expect(r.diagnostics).toEqual([]);
    expect(r.value.kind).toBe("unknown");
  });

  it("file() without a build context is an error at the call", () => {
    const r = evaluate(call("file", str("x")), Scope.root());
    expect(r.diagnostics[0]!.detail).toContain("no build context");
  });

  it("a bad argument is reported at that argument", () => {
    const bad = lit(5);
    const r = evaluate(call("join", str(","), lit(["a"]), bad), scope);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]!.subject).toEqual(bad.range);
    expect(r.diagnostics[0]!.detail).toContain('"lists" parameter of join()');
  });
});
