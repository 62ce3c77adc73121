import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadDeclaration, SourceFile, STANDARD_FUNCTIONS, type Diagnostic } from "../../grammar/index.js";
import { parseArgument, type Type } from "../../grammar/eval/types.js";
import { Watchdog } from "./watchdog.js";

/**
 * Fuzzing of evaluation and of build-argument (`--var`) conversion, the layers a user's values reach after
 * the syntax (syntax.test.ts) and before the model (model.test.ts). Inputs are declarations whose
 * expressions call every standard function with hostile arguments (nulls, huge and non-finite numbers,
 * control characters, backtracking regular expressions, big ranges, deep values), through locals that may
 * form cycles and variables fed by random build arguments. Every input must load without throwing, within
 * a second and a heap ceiling, with every diagnostic located in the file, and without a function failing
 * in a way it did not anticipate. Each layer prints its counts for the CI log.
 */

const functions = [...STANDARD_FUNCTIONS.keys()].filter((n) => n !== "file");

const hostileString = fc.constantFrom(
  '""',
  '"a"',
  '"\\u001b[31mred"',
  '"\\u0000nul"',
  '"line\\nbreak"',
  '"%.101f"',
  '"%999999999d"',
  '"%s %d %v %q %t %x %e %g %%"',
  '"^(a+)+$"',
  '"(a|a)*b"',
  '"(?P<x>a)(b)"',
  '"(?=a)"',
  '"[0-9]+"',
  '"a{1001}"',
  '"/(a+)+$/"',
  '"$1${x}$$"',
  '"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"',
  '"[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]"',
  '"{\\"a\\": [1, 2, {\\"b\\": null}]}"',
  '"123456789012345678901234567890"',
  '"1e400"',
  '"😀é"',
  '"YWJj"',
  '"/etc//a/../b"',
);

const hostileNumber = fc.constantFrom("0", "1", "-1", "2", "3", "10", "1024", "1.5", "-0.5", "1e308", "9007199254740991", "4294967296", "100000", "0.1");

function expr(depth: number): fc.Arbitrary<string> {
  const leaf = fc.oneof(
    { weight: 3, arbitrary: hostileNumber },
    { weight: 3, arbitrary: hostileString },
    { weight: 1, arbitrary: fc.constantFrom("true", "false", "null") },
    { weight: 2, arbitrary: fc.constantFrom("local.a", "local.b", "local.c", "v", "w", "local.missing") },
  );
  if (depth <= 0) return leaf;
  const sub = fc.constant(null).chain(() => expr(depth - 1));
  const range = fc.oneof(
    { weight: 20, arbitrary: fc.constantFrom("range(3)", "range(10)", "range(0)", "[null, 1, \"x\"]", '{a = 1, b = null}', "local.a") },
    { weight: 1, arbitrary: fc.constantFrom("range(100)", "range(1024)") },
  );
  return fc.oneof(
    { weight: 5, arbitrary: leaf },
    { weight: 5, arbitrary: fc.tuple(fc.constantFrom(...functions), fc.array(sub, { maxLength: 4 }), fc.boolean()).map(([f, args, spread]) => `${f}(${args.join(", ")}${spread && args.length > 0 ? "..." : ""})`) },
    { weight: 2, arbitrary: fc.tuple(sub, fc.constantFrom("+", "-", "*", "/", "%", "==", "!=", "<", ">=", "&&", "||"), sub).map(([a, op, b]) => `(${a} ${op} ${b})`) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom("-", "!"), sub).map(([op, e]) => `${op}(${e})`) },
    { weight: 1, arbitrary: fc.tuple(sub, sub, sub).map(([c, a, b]) => `(${c} ? ${a} : ${b})`) },
    { weight: 2, arbitrary: fc.array(sub, { maxLength: 4 }).map((items) => `[${items.join(", ")}]`) },
    { weight: 1, arbitrary: fc.array(fc.tuple(fc.constantFrom("a", "b", "\"c d\"", "(local.a)"), sub), { maxLength: 3 }).map((items) => `{${items.map(([k, v]) => `${k} = ${v}`).join(", ")}}`) },
    { weight: 2, arbitrary: fc.tuple(range, sub, fc.boolean()).map(([c, v, obj]) => (obj ? `{for k, x in ${c} : tostring(k) => ${v}...}` : `[for x in ${c} : ${v}]`)) },
    { weight: 1, arbitrary: fc.tuple(range, sub).map(([c, v]) => `"%{ for x in ${c} }\${${v}}%{ endfor }"`) },
    { weight: 1, arbitrary: fc.tuple(sub, fc.constantFrom("[0]", "[\"a\"]", "[*].a", ".a", "[-1]", "[1e20]")).map(([e, p]) => `(${e})${p}`) },
    { weight: 1, arbitrary: sub.map((e) => `try(${e}, null)`) },
    { weight: 1, arbitrary: sub.map((e) => `"\${${e}}x"`) },
  );
}

const typeExpr = fc.constantFrom("string", "number", "bool", "any", "list(string)", "map(number)", "list(list(any))", "map(list(bool))");

const declaration = fc
  .record({
    a: expr(3),
    b: expr(2),
    c: expr(2),
    label: expr(3),
    type: typeExpr,
    vDefault: expr(1),
    validation: expr(2),
  })
  .map(
    (d) => `variable "v" {
  type    = ${d.type}
  default = ${d.vDefault}
  validation {
    condition     = ${d.validation}
    error_message = "no"
  }
}

locals {
  a = ${d.a}
  b = ${d.b}
  c = ${d.c}
}

image "app" {
  base_image = "debian:bookworm"
  labels = {
    x = ${d.label}
  }
  cmd = [local.c]
}
`,
  );

const buildArgument = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom("", "1", "1e400", "123456789012345678901234567890", "true", "t", "[1,2]", '{"a":[1]}', "a=1,b=2", "a,b,,c", "[" .repeat(300) + "]".repeat(300), "\u001b[31m", "\u0000"),
  fc.json({ maxDepth: 4 }),
);

function expectLocated(diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) {
    if (!d.subject || d.subject.file !== "fuzz.hcl") throw new Error(`diagnostic without a location in the file: ${d.summary}: ${d.detail ?? ""}`);
    if (d.detail?.includes("failed unexpectedly")) throw new Error(`a function failed unexpectedly: ${d.detail}`);
  }
}

describe("evaluation and --var conversion fuzzing", () => {
  it("evaluates generated declarations with hostile values (2,000 inputs)", () => {
    const dog = new Watchdog("evaluate");
    fc.assert(
      fc.property(declaration, buildArgument, (text, arg) => {
        dog.run(text, () => loadDeclaration(new SourceFile("fuzz.hcl", text), { vars: new Map([["v", arg]]) }), (r) => expectLocated(r.diagnostics));
      }),
      { numRuns: 2000, seed: dog.seed },
    );
    dog.report();
  });

  it("evaluates hostile shapes: deep, long, cyclic, huge (600 inputs)", () => {
    const dog = new Watchdog("evaluate (shapes)");
    const shape = fc.tuple(fc.constantFrom("[", "{a=", "(", "tostring(", "[for x in [1]: ", '"${', "-", "!", "x.", "true ? 1 : "), fc.integer({ min: 1, max: 700 })).map(([open, n]) => {
      const close = open === "[" || open === "[for x in [1]: " ? "]" : open === "{a=" ? "}" : open === '"${' ? '}"' : open === "(" || open === "tostring(" ? ")" : "";
      const body = open === "x." ? `local.a${".b".repeat(n)}` : `${open.repeat(n)}1${close.repeat(n)}`;
      return `locals {\n  a = ${body}\n}\nimage "app" {\n  base_image = "debian:bookworm"\n  labels = { x = jsonencode(local.a) }\n}\n`;
    });
    // Mostly short chains, and now and then one of thousands (each of those takes a moment to resolve).
    const length = fc.oneof({ weight: 19, arbitrary: fc.integer({ min: 1, max: 60 }) }, { weight: 1, arbitrary: fc.integer({ min: 2000, max: 3000 }) });
    const chain = fc.tuple(length, fc.boolean(), fc.boolean()).map(([n, cyclic, wrap]) => {
      const lines = Array.from({ length: n }, (_, i) => `  a${i} = ${wrap ? "[" : ""}local.a${cyclic ? (i + 1) % n : i + 1}${wrap ? "]" : ""}`);
      if (!cyclic) lines.push(`  a${n} = 1`);
      return `locals {\n${lines.join("\n")}\n}\nimage "app" {\n  base_image = "debian:bookworm"\n  labels = { x = jsonencode(local.a0) }\n}\n`;
    });
    fc.assert(
      fc.property(fc.oneof(shape, chain), (text) => {
        dog.run(text, () => loadDeclaration(new SourceFile("fuzz.hcl", text)), (r) => expectLocated(r.diagnostics));
      }),
      { numRuns: 600, seed: dog.seed },
    );
    dog.report();
  });

  it("converts random build arguments to every type (4,000 inputs)", () => {
    const dog = new Watchdog("--var conversion");
    const types: Type[] = [
      { kind: "string" },
      { kind: "number" },
      { kind: "bool" },
      { kind: "any" },
      { kind: "list", element: { kind: "string" } },
      { kind: "list", element: { kind: "number" } },
      { kind: "map", element: { kind: "bool" } },
      { kind: "list", element: { kind: "list", element: { kind: "any" } } },
    ];
    fc.assert(
      fc.property(buildArgument, fc.constantFrom(...types), (arg, type) => {
        dog.run([arg, type], () => parseArgument(arg, type), (c) => {
          const v = c.value;
          if (v !== undefined && type.kind !== "any" && v.kind !== "null" && (type.kind === "list" ? v.kind !== "tuple" : type.kind === "map" ? v.kind !== "object" : v.kind !== type.kind)) {
            throw new Error(`converted to ${v.kind}, not ${type.kind}`);
          }
        });
      }),
      { numRuns: 4000, seed: dog.seed },
    );
    dog.report();
    expect(dog.inputs).toBe(4000);
  });
});
