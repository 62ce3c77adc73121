import { describe, expect, it } from "vitest";
import type { Expr } from "../syntax/ast.js";
import { bin, call, forList, interp, local, num, str, tmpl, tuple, v, range } from "../../test/grammar/helpers/ast.js";
import { evaluateExpr } from "./evaluate.js";
import { Inputs, type LocalDecl, type VariableDecl } from "./variables.js";
import { toJson } from "./value.js";

function variable(name: string, opts: Partial<Omit<VariableDecl, "name">> = {}): VariableDecl {
  return { name, nameRange: range(), defRange: range(), range: range(), validations: [], ...opts };
}

function localDecl(name: string, expr: Expr): LocalDecl {
  return { name, nameRange: range(), expr };
}

function setup(variables: VariableDecl[], locals: LocalDecl[] = [], vars: Record<string, string> = {}) {
  const inputs = new Inputs(variables, locals, { vars: new Map(Object.entries(vars)) });
  const evalAll = (e: Expr) => {
    const diagnostics = [...inputs.diagnostics];
    const before = inputs.diagnostics.length;
    const own: typeof diagnostics = [];
    const value = evaluateExpr(e, inputs.scope, own);
    return { value: toJson(value), known: value.kind !== "unknown", diagnostics: [...own, ...inputs.diagnostics.slice(before)] };
  };
  return { inputs, evalAll };
}

describe("variables", () => {
  it("take a build argument, converted to the declared type", () => {
    const { evalAll, inputs } = setup(
      [
        variable("port", { type: v("number"), default: num(80) }),
        variable("debug", { type: v("bool") }),
        variable("tags", { type: call("list", v("string")) }),
        variable("labels", { type: call("map", v("string")) }),
      ],
      [],
      { port: "8080", debug: "true", tags: "a,b", labels: '{"x":"1"}' },
    );
    expect(evalAll(tuple(v("port"), v("debug"), v("tags"), v("labels"))).value).toEqual([8080, true, ["a", "b"], { x: "1" }]);
    expect(inputs.used().map((u) => [u.name, u.value, u.origin])).toEqual([
      ["port", "8080", "build-arg"],
      ["debug", "true", "build-arg"],
      ["tags", '["a","b"]', "build-arg"],
      ["labels", '{"x":"1"}', "build-arg"],
    ]);
  });

  it("use the default when no build argument is given, and infer the type from it", () => {
    const { evalAll, inputs } = setup([variable("tag", { default: str("latest") }), variable("n", { default: num(1) })], [], { n: "2" });
    expect(evalAll(tmpl(interp(v("tag")), "-", interp(bin("+", v("n"), num(1))))).value).toBe("latest-3");
    expect(inputs.used().map((u) => [u.name, u.origin])).toEqual([
      ["tag", "default"],
      ["n", "build-arg"],
    ]);
  });

  it("report a build argument that does not convert, at the variable's name", () => {
    const decl = variable("port", { type: v("number") });
    const { evalAll } = setup([decl], [], { port: "eighty" });
    const r = evalAll(v("port"));
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]!.summary).toBe("Invalid value for variable");
    expect(r.diagnostics[0]!.detail).toContain('"eighty"');
    expect(r.diagnostics[0]!.subject).toEqual(decl.nameRange);
  });

  it("report a default of the wrong type at the default", () => {
    const def = tuple(str("a"));
    const { evalAll } = setup([variable("tag", { type: v("string"), default: def })]);
    const r = evalAll(v("tag"));
    expect(r.diagnostics[0]!.summary).toBe("Invalid default value for variable");
    expect(r.diagnostics[0]!.subject).toEqual(def.range);
  });

  it("without a value are an error at each reference, saying how to give one", () => {
    const { evalAll, inputs } = setup([variable("commit")]);
    const first = v("commit");
    const second = v("commit");
    const r = evalAll(tuple(first, second));
    expect(r.diagnostics.map((d) => d.subject)).toEqual([first.range, second.range]);
    expect(r.diagnostics[0]!.summary).toBe('No value for variable "commit"');
    expect(r.diagnostics[0]!.hint).toContain("--var commit=");
    expect(r.diagnostics[0]!.hint).toContain("--build-arg commit=");
    expect(inputs.used()).toEqual([]);
  });

  it("unused and without a value are not an error", () => {
    const { inputs } = setup([variable("commit")]);
    inputs.resolveAll();
    expect(inputs.diagnostics).toEqual([]);
  });

  it("can be implicit: a bare name resolves to a build argument (estaleiro's variables)", () => {
    const ref = v("estaleiro-commit");
    const { evalAll, inputs } = setup([], [], { "estaleiro-commit": "abc" });
    expect(evalAll(tmpl(interp(ref))).value).toBe("abc");
    expect(inputs.used()).toEqual([{ name: "estaleiro-commit", value: "abc", origin: "build-arg", range: ref.range }]);
  });

  it("implicit and missing: the error names the variable and suggests a close one", () => {
    const { evalAll } = setup([variable("tag", { default: str("x") })]);
    const r = evalAll(v("tga"));
    expect(r.diagnostics[0]!.summary).toBe('No value for variable "tga"');
    expect(r.diagnostics[0]!.hint).toContain('Did you mean "tag"?');
    const r2 = evalAll(v("estaleiro-commit"));
    expect(r2.diagnostics[0]!.hint).toContain("--var estaleiro-commit=");
  });

  it("name the given values nothing declares or reads, with the closest name", () => {
    const { evalAll, inputs } = setup([variable("greeting", { default: str("hi") }), variable("unread")], [], {
      greetin: "typo",
      unread: "declared, so taken",
      commit: "read below",
      far_away_name: "x",
    });
    expect(evalAll(tmpl(interp(v("greeting")), interp(v("commit")))).diagnostics).toEqual([]);
    expect(inputs.unusedValues()).toEqual([{ name: "greetin", closest: "greeting" }, { name: "far_away_name" }]);
  });

  it("have string descriptions: a list is an error at the description", () => {
    const { inputs } = setup([variable("ok", { description: str("fine") }), variable("bad", { description: tuple(num(1)) })]);
    inputs.resolveAll();
    expect(inputs.diagnostics.map((d) => d.summary)).toEqual(["Invalid description"]);
    expect(inputs.arguments().map((a) => [a.name, a.description])).toEqual([
      ["ok", "fine"],
      ["bad", undefined],
    ]);
  });

  it("run their validations, reporting the error message", () => {
    const condition = call("can", call("regex", str("^v[0-9]"), v("version")));
    const decl = variable("version", {
      validations: [{ condition, errorMessage: str("The version must start with v and a digit."), range: range() }],
    });
    const { inputs } = setup([decl], [], { version: "1.0" });
    inputs.resolveAll();
    expect(inputs.diagnostics).toHaveLength(1);
    expect(inputs.diagnostics[0]!.summary).toBe('Invalid value for variable "version"');
    expect(inputs.diagnostics[0]!.detail).toContain("The version must start with v and a digit.");
    expect(inputs.diagnostics[0]!.detail).toContain('build argument "version"');
    expect(inputs.used()).toEqual([]);

    const good = setup([decl], [], { version: "v1.0" }).inputs;
    good.resolveAll();
    expect(good.diagnostics).toEqual([]);
  });

  it("report every failed validation, and a non-bool condition", () => {
    const decl = variable("n", {
      default: num(5),
      validations: [
        { condition: bin("<", v("n"), num(3)), errorMessage: str("too big"), range: range() },
        { condition: bin(">", v("n"), num(9)), errorMessage: str("too small"), range: range() },
        { condition: str("maybe"), errorMessage: str("?"), range: range() },
      ],
    });
    const { inputs } = setup([decl]);
    inputs.resolveAll();
    expect(inputs.diagnostics.map((d) => d.summary)).toEqual([
      'Invalid value for variable "n"',
      'Invalid value for variable "n"',
      "Invalid validation condition",
    ]);
  });

  it("report an unknown type with a suggestion", () => {
    const { inputs } = setup([variable("x", { type: v("strng"), default: str("a") })]);
    inputs.resolveAll();
    expect(inputs.diagnostics[0]!.summary).toBe("Invalid type");
    expect(inputs.diagnostics[0]!.hint).toBe('Did you mean "string"?');
  });
});

describe("locals", () => {
  it("refer to variables and to other locals, in any order", () => {
    const { evalAll } = setup(
      [variable("registry", { default: str("127.0.0.1:5000") })],
      [localDecl("ref", tmpl(interp(local("image")), ":", interp(local("tag")))), localDecl("image", tmpl(interp(v("registry")), "/app")), localDecl("tag", str("1"))],
    );
    expect(evalAll(local("ref")).value).toBe("127.0.0.1:5000/app:1");
  });

  it("report a cycle once, at the reference that closes it, naming the path", () => {
    const closing = local("a");
    const { inputs } = setup([], [localDecl("a", local("b")), localDecl("b", tmpl(interp(local("c")))), localDecl("c", closing)]);
    inputs.resolveAll();
    expect(inputs.diagnostics).toHaveLength(1);
    expect(inputs.diagnostics[0]!.summary).toBe("Cycle in variables and locals");
    expect(inputs.diagnostics[0]!.detail).toBe("local.a depends on itself: local.a → local.b → local.c → local.a.");
    expect(inputs.diagnostics[0]!.subject).toEqual(closing.range);
  });

  it("report a local that refers to itself", () => {
    const self = local("x");
    const { inputs } = setup([], [localDecl("x", bin("+", self, num(1)))]);
    inputs.resolveAll();
    expect(inputs.diagnostics.map((d) => [d.detail, d.subject])).toEqual([["local.x depends on itself: local.x → local.x.", self.range]]);
  });

  it("report an unknown local with a suggestion", () => {
    const { evalAll } = setup([], [localDecl("image", str("x"))]);
    const r = evalAll(local("imag"));
    expect(r.diagnostics[0]!.summary).toBe("Unknown local value");
    expect(r.diagnostics[0]!.hint).toBe('Did you mean "image"?');
  });

  it("report mistakes in a local nothing uses", () => {
    const { inputs } = setup([], [localDecl("unused", call("nofn"))]);
    inputs.resolveAll();
    expect(inputs.diagnostics.map((d) => d.summary)).toEqual(["Call to unknown function"]);
  });
});

describe("a variable with no value inside a loop", () => {
  // found by the evaluation fuzzer (seed 143410887): `[for … : w]` nested 100,000 passes deep, with `w`
  // undeclared, made 100,000 diagnostics, each with its did-you-mean, and took 1.4 s of CPU
  it.each([
    ["undeclared", [] as VariableDecl[]],
    ["declared without a default", [variable("w")]],
  ])("makes its diagnostic once, not once per pass, and still reports it (%s)", (_, variables) => {
    const { evalAll } = setup(variables);
    const r = evalAll(forList("x", call("range", num(1000)), v("w")));
    expect(r.diagnostics).toHaveLength(1000);
    expect(new Set(r.diagnostics).size).toBe(1);
    expect(r.diagnostics[0]!.summary).toBe('No value for variable "w"');
  });
});
