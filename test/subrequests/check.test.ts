import { describe, expect, it } from "vitest";
import { loadDeclaration, SourceFile, warningAt } from "../../grammar/index.js";
import { lintResults, printLint } from "../../frontend/subrequests/index.js";

const text = `image "app" {
  base_image = "scratch"
}

step "unused" {
  dockerfile = "Dockerfile"
}
`;

describe("--call check", () => {
  const file = new SourceFile("slipway.hcl", text);
  const loaded = loadDeclaration(file);
  const warnings = [...loaded.diagnostics, warningAt(undefined, 'Unused build argument "x"', "No variable is named x.", { hint: "Remove it." })];
  const results = lintResults(file, warnings);

  it("gives each warning with its detail and hint, located in the declaration when it has a place there", () => {
    expect(loaded.diagnostics.map((d) => d.summary)).toEqual(["Unused step"]);
    expect(results.warnings[0]).toMatchObject({ ruleName: "Unused step", location: { sourceIndex: 0, ranges: [{ start: { line: 5, character: 0 } }] } });
    expect(results.warnings[0]!.detail).toMatch(/never built/);
    expect(results.warnings[1]).toEqual({ ruleName: 'Unused build argument "x"', detail: "No variable is named x. Remove it.", location: { sourceIndex: -1 } });
    expect(results.sources).toEqual([{ filename: "slipway.hcl", data: Buffer.from(text).toString("base64"), language: "HCL" }]);
  });

  it("writes a text form with the line of each located warning", () => {
    const txt = printLint(results);
    expect(txt).toMatch(/^\nWARNING: Unused step\nslipway\.hcl:5: .*never built/m);
    expect(txt).toContain('\nWARNING: Unused build argument "x"\nNo variable is named x. Remove it.\n');
    expect(printLint(lintResults(file, []))).toBe("");
  });
});
