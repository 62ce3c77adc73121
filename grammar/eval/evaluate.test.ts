import { describe, expect, it } from "vitest";
import type { Expr } from "../syntax/ast.js";
import {
  bin,
  bool,
  call,
  callExpand,
  cond,
  forList,
  forObject,
  getAttr,
  index,
  interp,
  neg,
  not,
  nul,
  num,
  obj,
  parens,
  splat,
  str,
  text,
  tmpl,
  tuple,
  v,
} from "../../test/grammar/helpers/ast.js";
import { LIMITS } from "../source/limits.js";
import { Budget } from "./budget.js";
import { evaluate } from "./evaluate.js";
import { Scope } from "./scope.js";
import { fromJson, toJson, type Value } from "./value.js";

const scope = Scope.root().child({
  s: fromJson("hello"),
  n: fromJson(2),
  list: fromJson(["a", "b", "c"]),
  m: fromJson({ b: 2, a: 1 }),
  people: fromJson([{ name: "ana", age: 30 }, { name: "bo", age: 20 }]),
  nothing: fromJson(null),
});

function ok(e: Expr): unknown {
  const r = evaluate(e, scope);
  expect(r.diagnostics).toEqual([]);
  return toJson(r.value);
}

function fails(e: Expr): { value: Value; summary: string; detail: string; subject: unknown } {
  const r = evaluate(e, scope);
  expect(r.diagnostics.length).toBeGreaterThan(0);
  const d = r.diagnostics[0]!;
  return { value: r.value, summary: d.summary, detail: d.detail ?? "", subject: d.subject };
}

describe("evaluate", () => {
  it.each<[string, Expr, unknown]>([
    ["number literal", num(1.5), 1.5],
    ["null", nul(), null],
    ["string + number converts", bin("+", str("2"), num(1)), 3],
    ["precedence is the AST's", bin("*", parens(bin("+", num(1), num(2))), num(3)), 9],
    ["modulo", bin("%", num(7), num(3)), 1],
    ["division", bin("/", num(7), num(2)), 3.5],
    ["comparison", bin("<=", num(2), str("2")), true],
    ["== does not convert", bin("==", str("1"), num(1)), false],
    ["== on collections", bin("==", tuple(num(1), str("x")), tuple(num(1), str("x"))), true],
    ["== on objects ignores order", bin("==", obj(["a", num(1)], ["b", num(2)]), v("m")), true],
    ["&& converts strings", bin("&&", str("true"), bool(true)), true],
    ["|| short-circuits past an error", bin("||", bool(true), getAttr(v("nothing"), "x")), true],
    ["&& short-circuits past an error", bin("&&", bin("!=", v("nothing"), nul()), getAttr(v("nothing"), "x")), false],
    ["unary minus", neg(v("n")), -2],
    ["not", not(bool(false)), true],
    ["conditional takes one branch", cond(bin("==", v("nothing"), nul()), str("none"), getAttr(v("nothing"), "x")), "none"],
    ["tuple", tuple(num(1), str("a")), [1, "a"]],
    ["object keeps declared order", obj(["z", num(1)], ["a", num(2)]), { z: 1, a: 2 }],
    ["object expression key", obj([tmpl(interp(v("s"))), num(1)]), { hello: 1 }],
    ["index list", index(v("list"), num(1)), "b"],
    ["index list by numeric string", index(v("list"), str("2")), "c"],
    ["index map", index(v("m"), str("a")), 1],
    ["attribute", getAttr(index(v("people"), num(0)), "name"), "ana"],
    ["full splat", splat(v("people"), (it) => getAttr(it, "name")), ["ana", "bo"]],
    ["splat of null is empty", splat(v("nothing"), (it) => getAttr(it, "name")), []],
    ["splat of a non-list wraps it", splat(index(v("people"), num(1)), (it) => getAttr(it, "age"), "attr"), [20]],
    ["for over a list", forList("x", v("list"), call("upper", v("x"))), ["A", "B", "C"]],
    ["for with index and condition", forList("x", v("list"), v("i"), { keyVar: "i", condition: bin("!=", v("x"), str("b")) }), [0, 2]],
    ["for over a map iterates in key order", forList("x", v("m"), v("x")), [1, 2]],
    ["for object form", forObject(undefined, "p", v("people"), getAttr(v("p"), "name"), getAttr(v("p"), "age")), { ana: 30, bo: 20 }],
    [
      "for object grouping",
      forObject("i", "x", tuple(str("a"), str("b"), str("a")), v("x"), v("i"), { group: true }),
      { a: [0, 2], b: [1] },
    ],
    ["template", tmpl("say ", interp(v("s")), " ", interp(v("n")), " ", interp(bool(true))), "say hello 2 true"],
    ["template unwrapping keeps the value", tmpl(interp(v("list"))), ["a", "b", "c"]],
    ["strip markers", tmpl("a  \n", interp(v("s"), { left: true, right: true }), "\n  b"), "ahellob"],
    [
      "if directive",
      tmpl({ kind: "if", condition: bool(false), then: [text("yes")], else: [text("no")], range: str("").range }),
      "no",
    ],
    [
      "for directive",
      tmpl({ kind: "for", valueVar: "x", collection: v("list"), body: [interp(v("x")), text(",")], range: str("").range }),
      "a,b,c,",
    ],
    ["function call", call("join", str("-"), v("list")), "a-b-c"],
    ["expanded final argument", callExpand("max", num(1), tuple(num(5), num(3))), 5],
    ["try takes the first that works", call("try", getAttr(v("m"), "zzz"), str("fallback")), "fallback"],
    ["can", call("can", index(v("list"), num(9))), false],
    ["can succeeds", call("can", index(v("list"), num(0))), true],
    ["can of a known value", call("can", v("s")), true],
  ])("%s", (_name, e, want) => {
    expect(ok(e)).toEqual(want);
  });

  it.each<[string, Expr, string, string]>([
    ["unknown variable with suggestion", v("lst"), "Unknown variable", 'There is no variable named "lst".'],
    ["attribute of null", getAttr(v("nothing"), "x"), "Attempt to get attribute from null value", "null"],
    ["missing attribute", getAttr(v("m"), "c"), "Unsupported attribute", 'attribute named "c"'],
    ["index out of range", index(v("list"), num(3)), "Invalid index", "out of range for a list of 3 elements"],
    ["fractional index", index(v("list"), num(0.5)), "Invalid index", "whole number"],
    ["missing key", index(v("m"), str("c")), "Invalid index", 'no key "c"'],
    ["arithmetic on a word", bin("+", str("x"), num(1)), "Invalid operand", "must be a number"],
    ["arithmetic on null", bin("*", nul(), num(1)), "Invalid operand", "null"],
    ["division by zero", bin("/", num(1), num(0)), "Division by zero", "zero"],
    ["non-bool condition", cond(str("yes"), num(1), num(2)), "Invalid condition", "must be a bool"],
    ["null in a template", tmpl("x", interp(nul())), "Invalid template interpolation value", "null"],
    ["list in a template", tmpl("x", interp(v("list"))), "Invalid template interpolation value", "list"],
    ["for over a string", forList("x", v("s"), v("x")), "Iteration over non-iterable value", "string"],
    ["for over null", forList("x", v("nothing"), v("x")), "Iteration over null value", "null"],
    [
      "duplicate for keys",
      forObject(undefined, "x", tuple(str("a"), str("a")), v("x"), v("x")),
      "Duplicate object key",
      'produced the key "a"',
    ],
    ["duplicate object keys", obj(["a", num(1)], ["a", num(2)]), "Duplicate object key", 'The key "a" was already set'],
    ["unknown function", call("uper", v("s")), "Call to unknown function", 'no function named "uper"'],
    ["too few arguments", call("replace", str("a"), str("b")), "Not enough function arguments", '"replace"'],
    ["too many arguments", call("upper", str("a"), str("b")), "Too many function arguments", "expects 1 argument"],
    ["wrong argument type", call("upper", v("list")), "Invalid function argument", 'Invalid value for "str" parameter of upper()'],
    ["null argument", call("lower", nul()), "Invalid function argument", "must not be null"],
    ["expanding a non-list", callExpand("max", num(1)), "Invalid expanding argument value", "must be a list"],
    ["try with nothing working", call("try", getAttr(v("m"), "zzz")), "Error in function call", "try()"],
    ["bare local", v("local"), "Invalid reference", "local"],
    ["local without resolver", getAttr(v("local"), "x"), "Unknown local value", '"x"'],
  ])("%s is reported", (_name, e, summary, detail) => {
    const f = fails(e);
    expect(f.value.kind).toBe("unknown");
    expect(f.summary).toBe(summary);
    expect(`${f.detail}`).toContain(detail);
  });

  it("reports at the narrowest range: the argument, the name, the key", () => {
    const badArg = v("list");
    const r1 = evaluate(call("upper", badArg), scope);
    expect(r1.diagnostics[0]!.subject).toEqual(badArg.range);

    const name = v("nope");
    expect(evaluate(bin("+", num(1), name), scope).diagnostics[0]!.subject).toEqual(name.range);

    const key = str("c");
    expect(evaluate(index(v("m"), key), scope).diagnostics[0]!.subject).toEqual(key.range);

    const attrExpr = getAttr(v("m"), "c");
    expect(evaluate(attrExpr, scope).diagnostics[0]!.subject).toEqual((attrExpr as { nameRange: unknown }).nameRange);
  });

  it("suggests a close name", () => {
    expect(evaluate(v("lst"), scope).diagnostics[0]!.hint).toBe('Did you mean "list"?');
    expect(evaluate(call("uper", str("x")), scope).diagnostics[0]!.hint).toBe('Did you mean "upper"?');
    expect(evaluate(v("var"), scope).diagnostics[0]!.hint).toContain("bare name");
  });

  it("reports one mistake once: unknown values propagate silently", () => {
    const r = evaluate(call("upper", tmpl("x-", interp(bin("+", v("nope"), num(1))))), scope);
    expect(r.diagnostics.map((d) => d.summary)).toEqual(["Unknown variable"]);
    expect(r.value.kind).toBe("unknown");
  });

  it("reports every independent mistake in one pass", () => {
    const r = evaluate(tuple(v("a1"), call("nofn"), index(v("list"), num(7))), scope);
    expect(r.diagnostics.map((d) => d.summary)).toEqual(["Unknown variable", "Call to unknown function", "Invalid index"]);
  });
});

describe("references in the style of other tools", () => {
  it("var.NAME is explained, not reported as an unknown variable", () => {
    const e = getAttr(v("var"), "tag");
    const r = evaluate(e, scope);
    expect(r.diagnostics.map((d) => [d.summary, d.subject, d.hint])).toEqual([["Invalid reference", e.range, "Write tag."]]);
  });
});

describe("a failing name inside a loop", () => {
  // found by the evaluation fuzzer (seed 602432732): a million passes over `local.missing` made a million
  // diagnostics, each with its did-you-mean, and took seconds before the budget's own error was sorted out
  it("makes its diagnostic once, not once per pass, and still reports it", () => {
    let suggestions = 0;
    const resolver = {
      variable: () => undefined,
      local: () => undefined,
      variableNames: () => [],
      localNames: () => {
        suggestions++;
        return ["present"];
      },
    };
    const r = evaluate(forList("x", call("range", num(1000)), getAttr(v("local"), "missing")), Scope.root({ resolver }));
    expect(suggestions).toBe(1);
    expect(r.diagnostics).toHaveLength(1000);
    expect(new Set(r.diagnostics).size).toBe(1);
    expect(r.diagnostics[0]!.summary).toBe("Unknown local value");
  });
});

describe("diagnostics in a loop", () => {
  // every kind of failure inside a loop makes a diagnostic per pass, and making one costs the time of many
  // steps (the fuzzer found a dozen kinds taking seconds within the step budget), so each is charged
  const small = () => new Budget({ ...LIMITS, evaluationSteps: 2_000 });

  it("costs the budget what the diagnostics cost, even those a try drops", () => {
    const fine = evaluate(forList("x", call("range", num(100)), call("try", v("x"), num(0))), Scope.root({ budget: small() }));
    expect(fine.diagnostics).toEqual([]);
    const failing = evaluate(forList("x", call("range", num(100)), call("try", getAttr(v("x"), "a"), num(0))), Scope.root({ budget: small() }));
    expect(failing.diagnostics.map((d) => d.summary)).toEqual(["Evaluation too large"]);
  });

  it("counts a diagnostic once, where it was made, however deep the loops around it", () => {
    const budget = small();
    const r = evaluate(forList("x", call("range", num(2)), forList("y", call("range", num(2)), not(v("y")))), Scope.root({ budget }));
    expect(r.diagnostics).toHaveLength(4);
    expect(budget.diagnosedSoFar).toBe(4);
  });
});
