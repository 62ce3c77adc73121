// Hostile declarations (issue #11): each crosses a documented limit (grammar/source/limits.ts, docs
// "Limits") and must get a located error diagnostic quickly, never an exception or a hang.
import { describe, expect, it } from "vitest";
import { format, loadDeclaration, SourceFile, type Diagnostic } from "../../grammar/index.js";

const image = (labelValue: string, before = "") =>
  `${before}image "a" {\n  base_image = "debian:bookworm"\n  labels = { x = ${labelValue} }\n}\n`;

/** Loads `text` and returns its error diagnostics, failing when loading throws or takes over 2 s. */
function errorsOf(text: string): Diagnostic[] {
  const started = performance.now();
  const r = loadDeclaration(new SourceFile("h.hcl", text));
  expect(performance.now() - started).toBeLessThan(2000);
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
    ["operator chain", "1" + "+1".repeat(20000)],
    ["attribute chain", "x" + ".a".repeat(20000)],
    ["index chain", "x" + "[0]".repeat(20000)],
    ["unary run", "-".repeat(20000) + "1"],
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
