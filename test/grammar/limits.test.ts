// Hostile declarations (issue #11): each crosses a documented limit (grammar/source/limits.ts, docs
// "Limits") and must get a located error diagnostic quickly, never an exception or a hang.
import { describe, expect, it } from "vitest";
import { loadWithReads, MAX_FILE_CHAIN } from "../../frontend/load/index.js";
import { format, loadDeclaration, renderDiagnostics, SourceFile, type Diagnostic } from "../../grammar/index.js";

const image = (labelValue: string, before = "") =>
  `${before}image "a" {\n  base_image = "debian:bookworm"\n  labels = { x = ${labelValue} }\n}\n`;

/**
 * Loads `text` and returns its error diagnostics, failing when loading throws or takes over 2 s of CPU
 * (CPU time, not wall time, so that a loaded machine does not fail it: the check is for a runaway, not a
 * speed goal).
 */
function errorsOf(text: string): Diagnostic[] {
  const started = process.cpuUsage();
  const r = loadDeclaration(new SourceFile("h.hcl", text));
  const spent = process.cpuUsage(started);
  expect((spent.user + spent.system) / 1000).toBeLessThan(2000);
  return r.diagnostics.filter((d) => d.severity === "error");
}

/** Expects exactly a located error whose summary is `summary` (and `detail` matching, when given). */
function expectLocated(text: string, summary: string, detail?: RegExp): Diagnostic {
  const errors = errorsOf(text);
  const found = errors.find((d) => d.summary === summary);
  expect(found, JSON.stringify(errors.map((d) => d.summary))).toBeDefined();
  expect(found!.subject?.file).toBe("h.hcl");
  if (detail) expect(found!.detail).toMatch(detail);
  return found!;
}

describe("nesting and expression depth", () => {
  const cases: [string, string][] = [
    ["braces", "{a=".repeat(300) + "1" + "}".repeat(300)],
    ["brackets", "[".repeat(300) + "1" + "]".repeat(300)],
    ["parentheses", "(".repeat(400) + "1" + ")".repeat(400)],
    ["calls", "tostring(".repeat(400) + "1" + ")".repeat(400)],
    ["for expressions", "[for x in ".repeat(300) + "[1]" + ": x]".repeat(300)],
    ["conditional chain", "true ? 1 : ".repeat(3000) + "2"],
    ["interpolations", '"${'.repeat(300) + "1" + '}"'.repeat(300)],
    ["template directives", '"' + "%{ if true }".repeat(2000) + "x" + "%{ endif }".repeat(2000) + '"'],
  ];
  for (const [name, expr] of cases) {
    it(`refuses ${name} nested too deep, at the token past the limit`, () => {
      const d = expectLocated(image(expr), "Nesting too deep", /128/);
      expect(d.subject!.start.line).toBe(3);
    });
  }

  it("refuses blocks nested too deep", () => {
    expectLocated("x {\n".repeat(400) + "}\n".repeat(400), "Nesting too deep");
  });

  it("refuses nested type expressions too deep", () => {
    expectLocated(`variable "v" {\n  type = ${"list(".repeat(1000)}string${")".repeat(1000)}\n}\n` + image('"x"'), "Nesting too deep");
  });

  for (const [name, expr] of [
    ["operator chain", "1" + "+1".repeat(3000)],
    ["attribute chain", "x" + ".a".repeat(3000)],
    ["index chain", "x" + "[0]".repeat(3000)],
    ["unary run", "-".repeat(3000) + "1"],
  ] as const) {
    it(`refuses an ${name} too deep`, () => {
      expectLocated(image(expr), "Expression too deep", /512/);
    });
  }

  it("formats a file past a limit unchanged, with the diagnostic", () => {
    const text = image("[".repeat(300) + "1" + "]".repeat(300));
    const r = format(text, "h.hcl");
    expect(r.text).toBe(text);
    expect(r.diagnostics.map((d) => d.summary)).toContain("Nesting too deep");
  });

  it("evaluates and formats what is just inside the limits", () => {
    for (const expr of [
      "length(" + "[".repeat(122) + "1" + "]".repeat(122) + ")",
      "1" + "+1".repeat(505),
      "true ? 1 : ".repeat(120) + "2",
      `"${"%{ if true }".repeat(120)}x${"%{ endif }".repeat(120)}"`,
      "(1+1+1+".repeat(120) + "1" + ")".repeat(120),
    ]) {
      const text = image(expr);
      expect(errorsOf(text)).toEqual([]);
      expect(format(text, "h.hcl").diagnostics).toEqual([]);
    }
  });
});

describe("variables and locals", () => {
  const chain = (n: number, last: string, wrap = (x: string) => x) =>
    "locals {\n" + Array.from({ length: n }, (_, i) => `  a${i} = ${wrap(`local.a${i + 1}`)}\n`).join("") + `  a${n} = ${last}\n}\n`;

  it("resolves a chain of 3,000 locals", () => {
    expect(errorsOf(image("local.a0", chain(3000, '"end"')))).toEqual([]);
  });

  it("resolves a chain of 3,000 variables whose defaults and validations refer to the next", () => {
    const variables = Array.from(
      { length: 3000 },
      (_, i) => `variable "v${i}" {\n  default = ${i === 2999 ? '"end"' : `v${i + 1}`}\n  validation {\n    condition     = ${i === 2999 ? "true" : `v${i + 1} != ""`}\n    error_message = "empty"\n  }\n}\n`,
    ).join("");
    expect(errorsOf(image("v0", variables))).toEqual([]);
  });

  it("reports a cycle of 3,000 locals once, with a shortened path", () => {
    const text = "locals {\n" + Array.from({ length: 3000 }, (_, i) => `  a${i} = local.a${(i + 1) % 3000}\n`).join("") + "}\n" + image("local.a0");
    const errors = errorsOf(text);
    expect(errors.map((d) => d.summary)).toEqual(["Cycle in variables and locals"]);
    expect(errors[0]!.detail).toMatch(/local\.a0 → local\.a1 → .*more.* → local\.a0\.$/);
    expect(errors[0]!.detail!.length).toBeLessThan(400);
  });

  it("refuses a value nested past the limit built through locals", () => {
    const d = expectLocated(image("jsonencode(local.a0)", chain(3000, "1", (x) => `[${x}]`)), "Value nested too deep", /128/);
    expect(d.subject!.start.line).toBeGreaterThan(1);
  });
});

describe("evaluation budget and sizes", () => {
  it("stops three nested for expressions over range(1024)", () => {
    expectLocated(image("length([for a in range(1024): [for b in range(1024): [for c in range(1024): 1]]])"), "Evaluation too large");
  });

  it("reports a missing name inside a million-pass loop once, without making it a million times", () => {
    // found by the evaluation fuzzer (seed 602432732): 250,000 diagnostics were appended with a spread,
    // past what a call's arguments may be (RangeError: Maximum call stack size exceeded)
    const locals = 'locals {\n  a = ["%{ for x in range(1024) }${[for y in range(1024) : local.missing]}%{ endfor }"]\n}\n';
    const errors = errorsOf(image("local.a", locals));
    expect(errors.filter((d) => d.summary === "Unknown local value")).toHaveLength(1);
    expect(errors.some((d) => d.summary === "Evaluation too large")).toBe(true);
  });

  it("keeps the budget's error when try() crossed it", () => {
    expectLocated(image('try([for a in range(1024): [for b in range(1024): [for c in range(1024): 1]]], "x")'), "Evaluation too large");
  });

  it("counts a function's work on large arguments: hashing a long string a thousand times", () => {
    const locals = `locals {\n  k = "${"x".repeat(1000)}"\n  big = join("", [for i in range(1024): local.k])\n}\n`;
    expectLocated(image("length([for i in range(1024): sha256(local.big)])", locals), "Evaluation too large");
  });

  it("refuses a template that builds a string past the limit", () => {
    expectLocated(image('"%{ for a in range(1024) }%{ for b in range(1024) }${local.s}%{ endfor }%{ endfor }"', `locals {\n  s = "${"0123456789".repeat(100)}"\n}\n`), "String too long");
  });

  it("refuses a file() text past the string limit, at the call", () => {
    const r = loadDeclaration(new SourceFile("h.hcl", image('file("big.txt")')), { readFile: () => ({ kind: "text", text: "x".repeat(5 * 1024 * 1024) }) });
    const d = r.diagnostics.find((x) => x.summary === "String too long");
    expect(d?.subject?.start.line).toBe(3);
  });

  it("refuses join() past the string limit", () => {
    expectLocated(image('join(local.s, range(1000))', `locals {\n  s = "${"x".repeat(5000)}"\n}\n`), "Error in function call", /limit/);
  });

  it("refuses JSON nested past the value depth limit", () => {
    expectLocated(image(`jsondecode("${"[".repeat(5000)}${"]".repeat(5000)}")`), "Invalid function argument", /128/);
  });

  it("removes duplicates from a long list in linear time", () => {
    expect(errorsOf(image("length(distinct([for i in range(1000): [for j in range(90): j]]))"))).toEqual([]);
  });
});

describe("functions", () => {
  for (const [call, detail] of [
    ['format("%.101f", 1)', /precision/],
    ['format("%999999999d", 1)', /width/],
    ['join(",", [null])', /element 0 is null/],
    ['join(",", concat(["a"], [null]))', /element 1 is null/],
    ['sort(["b", null])', /element 1 is null/],
  ] as const) {
    it(`reports ${call} at the call`, () => {
      expectLocated(image(call), "Invalid function argument", detail);
    });
  }

  const long = `locals {\n  k = "${"ab".repeat(500)}"\n  big = join("", [for i in range(200): local.k])\n}\n`;
  for (const [call, detail] of [
    ['length(split("", local.big))', /more than 100000 parts/],
    ['length(regexall("", local.big))', /matches more than 100000 times/],
    ['replace(local.big, "a", local.k)', /limit for a string/],
    ['regex_replace(local.big, "a", local.k)', /longer than 4194304/],
  ] as const) {
    it(`refuses ${call} past a size limit, before building it`, () => {
      expectLocated(image(call, long), "Error in function call", detail);
    });
  }

  it("carries a null through concat() without throwing", () => {
    const r = loadDeclaration(new SourceFile("h.hcl", image('length(concat(["/x"], [null]))')));
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });

  it("takes min() and max() of 100,000 numbers", () => {
    expect(errorsOf(image("max(flatten([for i in range(100): [for j in range(1000): j]])...)"))).toEqual([]);
  });
});

describe("numbers", () => {
  it("refuses an infinite result at the operator", () => {
    const d = expectLocated(image("1e308*10"), "Number out of range");
    expect(d.subject!.start.column).toBe(23);
  });

  it("refuses a whole number literal past 2^53", () => {
    expectLocated(image("123456789012345678901234567890"), 'Number "123456789012345678901234567890" is too large to be exact');
  });

  it("refuses whole-number arithmetic past 2^53", () => {
    expectLocated(image("9007199254740991 + 2"), "Number out of range", /2\^53/);
  });

  it("refuses tonumber() of a whole number past 2^53", () => {
    expectLocated(image('tonumber("123456789012345678901234567890")'), "Invalid function argument");
  });

  it("keeps large numbers that are not whole-number arithmetic", () => {
    expect(errorsOf(image("1.5e300 * 0.5"))).toEqual([]);
    expect(errorsOf(image("9007199254740992 * 4"))).toEqual([]);
    expect(errorsOf(image("9007199254740991"))).toEqual([]);
  });
});

describe("diagnostics", () => {
  it("reports a one-line file with thousands of errors in a bounded, linear amount of text", () => {
    const text = "locals { a = [" + Array.from({ length: 6000 }, (_, i) => `nope${i}()`).join(", ") + "] }\n";
    const file = new SourceFile("h.hcl", text);
    const r = loadDeclaration(file);
    expect(r.diagnostics.length).toBeGreaterThan(5000);
    const out = renderDiagnostics(r.diagnostics, [file]);
    expect(out.length).toBeLessThan(100 * 600);
    expect(out).toMatch(/… and \d+ more errors, not shown\.\n$/);
    for (const line of out.split("\n")) expect(line.length).toBeLessThan(200);
  });

  it("cuts a long line around the range and keeps the caret under it", () => {
    const text = `locals {\n  a = [${"1, ".repeat(400)}nope(), ${"2, ".repeat(400)}]\n}\n`;
    const file = new SourceFile("h.hcl", text);
    const out = renderDiagnostics(loadDeclaration(file).diagnostics, [file]);
    const lines = out.split("\n");
    const index = lines.findIndex((l) => l.startsWith("  2 | "));
    const [source, carets] = [lines[index], lines[index + 1]];
    expect(source).toMatch(/^ {2}2 \| ….*nope\(\).*…$/);
    const at = carets!.indexOf("^");
    expect(source!.slice(at, at + 4)).toBe("nope");
  });

  it("escapes ESC and other control characters in every echoed text", () => {
    const text = image('[nope("\x1b]0;title\x07"), lookup({}, "\x1b[31mred")]');
    const file = new SourceFile("h.hcl", text);
    const out = renderDiagnostics(loadDeclaration(file).diagnostics, [file]);
    expect(out).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    expect(out).toContain("\\x1b]0;title\\x07");
    expect(out).toContain('no key "\\x1b[31mred"');
  });
});

describe("file() chains", () => {
  // f0 names f1, f1 names f2, …: each read can only be asked for once the previous one is known.
  const chained = (n: number) =>
    image(`local.a${n - 1}`, "locals {\n" + Array.from({ length: n }, (_, i) => `  a${i} = file(${i === 0 ? '"f0"' : `trimspace(local.a${i - 1})`})\n`).join("") + "}\n");
  const readMany = async (paths: readonly string[]) => new Map(paths.map((p) => [p, { kind: "text" as const, text: `f${Number(p.slice(1)) + 1}\n` }] as const));

  it(`reads a chain of ${MAX_FILE_CHAIN} files`, async () => {
    const r = await loadWithReads(new SourceFile("h.hcl", chained(MAX_FILE_CHAIN)), new Map(), readMany);
    expect(r.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(r.reads.size).toBe(MAX_FILE_CHAIN);
  });

  it("reports the file() call past the limit, located, instead of failing to settle", async () => {
    const r = await loadWithReads(new SourceFile("h.hcl", chained(MAX_FILE_CHAIN + 4)), new Map(), readMany);
    const errors = r.diagnostics.filter((d) => d.severity === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0]!.detail).toMatch(/more than 8 deep/);
    expect(errors[0]!.subject!.start.line).toBe(MAX_FILE_CHAIN + 2);
  });
});
